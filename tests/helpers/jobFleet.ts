import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/bench/repoRoot.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeJob, type JobInput } from '../../src/jobs/composeJob.js';
import type { FleetSettings, Job, LocalConfig } from '../../src/schema/types.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import type { Store } from '../../src/store/Store.js';
import { type FleetRemote, startFleetRemote } from './fleetRemote.js';
import { openStore } from './openStore.js';
import { tempDir } from './tempDir.js';

// Found from the checkout's root, so the chaos benchmark (bundled elsewhere) finds it too.
const BIN = path.join(repoRoot(), 'dist/gitfleet.js');

export type Kinds = NonNullable<NonNullable<LocalConfig['jobs']>['kinds']>;

/** Job kinds for tests: harmless shell one-liners whose parameters arrive as $0, $1 (never as code). */
export const TEST_KINDS: Kinds = {
  work: { argv: ['/bin/sh', '-c', 'sleep "$0"; echo "done after $0 s"', '{seconds}'], params: { seconds: '[0-9]{1,3}(\\.[0-9]{1,2})?' } },
  fail: { argv: ['/bin/sh', '-c', 'sleep "$0"; echo "failing on purpose" >&2; exit 3', '{seconds}'], params: { seconds: '[0-9]{1,3}(\\.[0-9]{1,2})?' } },
};

/**
 * Fast heartbeats for tests: suspect after 15 s of silence, dead after 25 s; a 5 s
 * coordinator lease. Not tighter: on a loaded 2-core CI machine a 10 s heartbeat is
 * sometimes a few seconds late, and a suspect server takes no jobs.
 */
export const FAST_FLEET: Partial<FleetSettings> = {
  heartbeat: { periodSeconds: 10, sampleSeconds: 5, suspectAfterPeriods: 1.5, deadAfterPeriods: 2.5, skipUnchanged: false },
  pushBudget: { pushesPerMinute: 6000 },
  coordinator: { leaseSeconds: 5, tickSeconds: 1 },
  jobs: { retryBaseSeconds: 1, retryMaxSeconds: 4, defaultMaxAttempts: 3 },
};

export interface Proc {
  name: string;
  child: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
}

/**
 * A fleet of real processes for job tests and the chaos benchmark: a loopback git
 * remote, `gitfleet agent` daemons with job kinds in their own config files, and
 * `gitfleet coordinator` daemons. Jobs are submitted and read through a Store.
 */
export class JobFleet {
  readonly procs = new Map<string, Proc>();
  readonly store: Store;

  private constructor(
    readonly remote: FleetRemote,
    readonly work: string,
  ) {
    this.store = openStore({ url: remote.httpUrl, actor: 'op:test' });
  }

  static async start(settings: Partial<FleetSettings> = FAST_FLEET): Promise<JobFleet> {
    const remote = await startFleetRemote();
    const fleet = new JobFleet(remote, tempDir('gitfleet-jobs-'));
    await fleet.store.transact('init', initFleetPlan(settings), { createBranch: true });
    return fleet;
  }

  startAgent(server: string, options: { kinds?: Kinds; slots?: number; url?: string; selfStopSeconds?: number; pollSeconds?: number } = {}): Proc {
    const config: LocalConfig = {
      repo: options.url ?? this.remote.httpUrl,
      server,
      dataDir: path.join(this.work, 'data', server),
      cacheDir: path.join(this.work, 'cache', server),
      jobs: {
        slots: options.slots ?? 2,
        pollSeconds: options.pollSeconds ?? 0.5,
        kinds: options.kinds ?? TEST_KINDS,
        ...(options.selfStopSeconds ? { selfStopSeconds: options.selfStopSeconds } : {}),
      },
    };
    const file = path.join(this.work, `${server}.config.json`);
    writeFileSync(file, JSON.stringify(config));
    return this.#spawn(server, ['agent', '--simulate', '--config', file]);
  }

  /** At debug level, so that a failing test can show every tick's decision in the log. */
  startCoordinator(name: string): Proc {
    return this.#spawn(name, [
      'coordinator',
      '--log-level',
      'debug',
      '--name',
      name,
      '--repo',
      this.remote.httpUrl,
      '--cache-dir',
      path.join(this.work, 'cache', name),
      '--data-dir',
      path.join(this.work, 'data', name),
    ]);
  }

  /** SIGKILL: the process gets no chance to clean up (a crash, a power cut). */
  async kill(name: string): Promise<void> {
    const p = this.procs.get(name);
    if (!p) return;
    p.child.kill('SIGKILL');
    await p.exited;
    this.procs.delete(name);
  }

  async submit(input: Omit<JobInput, 'createdBy'>): Promise<Job> {
    const job = composeJob({ createdBy: 'op:test', ...input });
    await this.store.transact(`submit ${job.id}`, () => new ChangeSet().put('job', job));
    return job;
  }

  async submitMany(inputs: Omit<JobInput, 'createdBy'>[]): Promise<Job[]> {
    const jobs = inputs.map((input, i) => composeJob({ createdBy: 'op:test', now: Date.now() + i, ...input }));
    await this.store.transact(`submit ${jobs.length} jobs`, () => {
      const changes = new ChangeSet();
      for (const job of jobs) changes.put('job', job);
      return changes;
    });
    return jobs;
  }

  async jobs(): Promise<Job[]> {
    return (await (await this.store.snapshot()).list('job')).records;
  }

  async close(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((name) => this.kill(name)));
    await this.store.close();
    await this.remote.close();
  }

  #spawn(name: string, args: string[]): Proc {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GITFLEET_')) env[k] = v;
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const log: string[] = [];
    child.stderr!.on('data', (d: Buffer) => log.push(...d.toString().trim().split('\n')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const proc = { name, child, log, exited };
    this.procs.set(name, proc);
    return proc;
  }
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, stepMs = 500): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
