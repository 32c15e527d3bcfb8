import { composeJob } from '../jobs/composeJob.js';
import type { KindConfig } from '../agent/JobKinds.js';
import type { Job } from '../schema/types.js';
import { ChangeSet } from '../store/ChangeSet.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';

// Node itself runs the demo jobs, so `npm start` works the same on Linux, macOS and Windows.
const SLEEP_THEN = (what: string) =>
  `const [s, t] = process.argv.slice(1); setTimeout(() => { console.log('${what} ' + t + ' in ' + s + ' s'); }, Number(s) * 1000);`;

/** Harmless job kinds the simulated servers of `npm start` run: they wait, print a line, exit. */
export const DEMO_KINDS: Record<string, KindConfig> = {
  'demo.build': {
    argv: [process.execPath, '-e', SLEEP_THEN('built'), '{seconds}', '{target}'],
    params: { seconds: '[0-9]{1,2}', target: '[a-z0-9-]{1,32}' },
    timeoutSeconds: 120,
  },
  'demo.test': {
    argv: [
      process.execPath,
      '-e',
      `const [s, t] = process.argv.slice(1); setTimeout(() => { if (Math.random() < 0.25) { console.error('flaky test failed in ' + t); process.exit(1); } console.log('tests passed: ' + t); }, Number(s) * 1000);`,
      '{seconds}',
      '{target}',
    ],
    params: { seconds: '[0-9]{1,2}', target: '[a-z0-9-]{1,32}' },
    timeoutSeconds: 120,
  },
};

const TARGETS = ['web', 'api', 'worker', 'docs', 'cli'];

/** The demo keeps at most this many jobs unfinished: a queue that grows for ever only says the laptop is slow. */
export const DEMO_MAX_UNFINISHED = 6;
const FINISHED = new Set(['succeeded', 'cancelled', 'dead']);

/**
 * Every `everyMs` (and once soon after the start), submits a build of a target and a test
 * run that depends on it, as an operator would, unless the demo queue already holds
 * DEMO_MAX_UNFINISHED unfinished jobs; the coordinator places them and the simulated
 * agents run them.
 */
export function startDemoJobs(store: Store, options: { everyMs: number; firstMs?: number; logger: Logger; say: (line: string) => void }): { stop: () => void } {
  let n = 0;
  const submit = async () => {
    const target = TARGETS[n % TARGETS.length]!;
    const build = composeJob({
      kind: 'demo.build',
      params: { seconds: String(2 + (n % 5)), target },
      priority: n % 4 === 3 ? 'high' : 'normal',
      createdBy: 'op:local',
    });
    const test: Job = composeJob({
      kind: 'demo.test',
      params: { seconds: String(1 + (n % 3)), target },
      dependsOn: [build.id],
      maxAttempts: 2,
      createdBy: 'op:local',
      now: Date.now() + 1,
    });
    const result = await store.transact(`demo: submit build and test of ${target}`, async (snapshot) => {
      const { records } = await snapshot.list('job');
      const unfinished = records.filter((j) => !FINISHED.has(j.state)).length;
      return unfinished + 2 > DEMO_MAX_UNFINISHED ? null : new ChangeSet().put('job', build).put('job', test);
    });
    if (result.status === 'committed') {
      n++;
      options.say(`job      submitted demo.build ${target} (${build.id}) and demo.test after it`);
    }
  };
  const run = () => submit().catch((error: unknown) => options.logger.warn('demo.jobs-failed', { reason: (error as Error).message }));
  const first = setTimeout(run, options.firstMs ?? 5_000);
  const timer = setInterval(run, options.everyMs);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
