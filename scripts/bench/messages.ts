// npm run bench:messages — `gitfleet msg list` and `msg search` over 10,000 messages, as
// an operator runs them (a new CLI process each time, against loopback HTTP), next to
// baselines from the same run: the CLI's start-up and git reading every message blob.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { createStore } from '../../src/config/createStore.js';
import { composeMessage } from '../../src/messages/composeMessage.js';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { machineInfo, ms, percentile, ratio, table } from './benchUtil.js';
import { repoRoot } from './repoRoot.js';

const run = promisify(execFile);
const COUNT = Number(process.argv.includes('--count') ? process.argv[process.argv.indexOf('--count') + 1] : 10_000);
const SAMPLES = 7;
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'gitfleet-bench-msg-'));
const root = path.join(work, 'remote');
await createBareRepo(path.join(root, 'fleet.git'));
const server = await new GitHttpServer({ projectRoot: root }).start();
const url = `${server.url}/fleet.git`;
const store = createStore({ remote: url, cacheDir: path.join(work, 'writer'), actor: 'op:bench' });
await store.transact('init', initFleetPlan(), { createBranch: true });

// A realistic mailbox: 50 servers, labels, broadcasts, a spread of priorities and sizes.
const words = 'disk memory deploy rollback backup certificate kernel upgrade latency queue build cache network restart incident'.split(' ');
const t0 = performance.now();
await store.transact('servers', () => {
  const c = new ChangeSet();
  for (let s = 0; s < 50; s++)
    c.put('status', {
      schemaVersion: 1,
      server: `srv-${s}`,
      updatedAt: new Date().toISOString(),
      seq: 1,
      health: { state: 'healthy' },
      labels: [s % 2 ? 'web' : 'build'],
    });
  return c;
});
const start = Date.now() - COUNT * 60_000;
for (let batch = 0; batch < COUNT; batch += 2500) {
  await store.transact(`messages ${batch}`, () => {
    const c = new ChangeSet();
    for (let i = batch; i < Math.min(COUNT, batch + 2500); i++) {
      const to = i % 10 === 0 ? 'all' : i % 7 === 0 ? 'label:web' : `srv-${i % 50}`;
      const body = Array.from({ length: 20 + (i % 60) }, (_, k) => words[(i * 7 + k) % words.length]).join(' ');
      c.put(
        'message',
        composeMessage({
          from: i % 3 ? 'op:alice' : `srv-${(i + 1) % 50}`,
          to,
          subject: `${words[i % words.length]} report ${i}`,
          body,
          priority: (['low', 'normal', 'normal', 'high', 'critical'] as const)[i % 5],
          now: start + i * 60_000,
        }),
      );
    }
    return c;
  });
}
const generated = performance.now() - t0;

const cli = path.join(repoRoot(), 'dist/gitfleet.js');
const env = {
  ...process.env,
  GITFLEET_REPO: url,
  GITFLEET_CACHE_DIR: path.join(work, 'reader'),
  GITFLEET_DATA_DIR: path.join(work, 'data'),
  GITFLEET_NO_STDIN: '1',
};
const time = async (args: string[]) => {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    await run(process.execPath, [cli, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
    times.push(performance.now() - t);
  }
  return percentile(times, 50);
};
await time(['validate']); // prime the reader's cache, as an operator's machine would have it
const startup = await time(['--version']);
const gitRead = await (async () => {
  const times: number[] = [];
  const bare = path.join(root, 'fleet.git');
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    const list = await run('git', ['--git-dir', bare, 'ls-tree', '-r', '--format=%(objectname)', 'main', 'messages/'], { maxBuffer: 64 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      const child = execFile('git', ['--git-dir', bare, 'cat-file', '--batch'], { maxBuffer: 256 * 1024 * 1024 }, (e) => (e ? reject(e) : resolve()));
      child.stdin!.end(list.stdout);
    });
    times.push(performance.now() - t);
  }
  return percentile(times, 50);
})();
const rows: (string | number)[][] = [];
for (const [name, args] of [
  ['msg list (all, newest 100)', ['msg', 'list']],
  ['msg list --server srv-7 --unread', ['msg', 'list', '--server', 'srv-7', '--unread']],
  ['msg list --priority critical --limit 10000 --json', ['msg', 'list', '--priority', 'critical', '--limit', '10000', '--json']],
  ['msg search rollback', ['msg', 'search', 'rollback']],
  ['msg search "kernel upgrade" --from op:alice', ['msg', 'search', 'kernel upgrade', '--from', 'op:alice']],
] as const) {
  const p50 = await time([...args]);
  rows.push([name, ms(p50), ratio(p50 / startup), ratio(p50 / gitRead)]);
}
await server.stop();
await fs.rm(work, { recursive: true, force: true });
console.log(
  `# bench:messages\n\nmachine: ${machineInfo()}\n\n${COUNT.toLocaleString('en')} messages (generated in ${(generated / 1000).toFixed(1)} s); each figure is the median of ${SAMPLES} runs of a new CLI process over loopback HTTP.\n`,
);
console.log(
  `baselines: CLI start-up (\`gitfleet --version\`) ${ms(startup)}; git listing and reading every message blob (\`ls-tree\` + \`cat-file --batch\`) ${ms(gitRead)}\n`,
);
console.log(table(['command', 'wall (p50)', 'vs CLI start-up', 'vs git reading the blobs'], rows));
process.exit(0);
