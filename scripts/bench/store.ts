// npm run bench:store — the transaction engine against git http-backend on loopback.
//   --quick        writers 1, 10 and 50 only
//   --max N        leave out races of more than N writers
//   --writers a,b  race only these numbers of writers
//   --backend cli  one backend only
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { promises as fs } from 'node:fs';
import fsSync from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as git from 'isomorphic-git';
import { createStore } from '../../src/config/createStore.js';
import type { BackendKind } from '../../src/git/createBackend.js';
import { timedHttpClient } from '../../src/git/timedHttpClient.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import type { Store } from '../../src/store/Store.js';
import { machineInfo, ms, percentile, ratio, table } from './benchUtil.js';
import { raceWriters } from './raceWriters.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--backend') ? (args[args.indexOf('--backend') + 1] as BackendKind) : undefined;
const backends: BackendKind[] = only ? [only] : ['cli', 'js'];
const max = args.includes('--max') ? Number(args[args.indexOf('--max') + 1]) : Infinity;
const listed = args.includes('--writers') ? args[args.indexOf('--writers') + 1]!.split(',').map(Number) : undefined;
const writerCounts = (listed ?? (quick ? [1, 10, 50] : [1, 10, 50, 200, 500])).filter((n) => n <= max);
/** Past this many writers, several share a process (each its own store and cache): 2 cores cannot start 500 node processes at once. */
const PROCESS_LIMIT = 200;
const SAMPLES = 40;

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'gitfleet-bench-'));
let repoCounter = 0;

async function freshRemote(): Promise<{ url: string; server: GitHttpServer }> {
  const root = path.join(work, `remote-${repoCounter++}`);
  await createBareRepo(path.join(root, 'fleet.git'));
  const server = await new GitHttpServer({ projectRoot: root }).start();
  const url = `${server.url}/fleet.git`;
  const store = openStore(url, 'cli', 0);
  await store.transact('init', initFleetPlan(), { createBranch: true });
  return { url, server };
}

function openStore(url: string, backend: BackendKind, freshForMs: number): Store {
  return createStore({ remote: url, backend, cacheDir: path.join(work, `cache-${repoCounter++}`), actor: 'bench', freshForMs });
}

/** The floor: a bare push of one small commit, by git itself and by isomorphic-git. */
async function floor(url: string, backend: BackendKind): Promise<number[]> {
  const dir = path.join(work, `floor-${repoCounter++}`);
  const times: number[] = [];
  if (backend === 'cli') {
    // Async on purpose: the git server runs in this process and must keep answering.
    const run = promisify(execFile);
    await run('git', ['clone', '-q', url, dir]);
    const g = (...a: string[]) => run('git', ['-C', dir, '-c', 'user.name=b', '-c', 'user.email=b@b', ...a]);
    for (let i = 0; i < SAMPLES; i++) {
      fsSync.writeFileSync(path.join(dir, 'status', 'floor.json'), `{"n":${i}}\n`);
      await g('add', '-A');
      await g('commit', '-q', '-m', `floor ${i}`);
      const t = performance.now();
      await g('push', '-q', 'origin', 'HEAD:main');
      times.push(performance.now() - t);
    }
  } else {
    const http = timedHttpClient(60_000);
    await git.clone({ fs: fsSync, http, dir, url, singleBranch: true, depth: 1 });
    for (let i = 0; i < SAMPLES; i++) {
      fsSync.writeFileSync(path.join(dir, 'status', 'floor.json'), `{"n":${i}}\n`);
      await git.add({ fs: fsSync, dir, filepath: 'status/floor.json' });
      await git.commit({ fs: fsSync, dir, message: `floor ${i}`, author: { name: 'b', email: 'b@b' } });
      const t = performance.now();
      await git.push({ fs: fsSync, http, dir, remote: 'origin', ref: 'main' });
      times.push(performance.now() - t);
    }
  }
  return times;
}

async function latency(url: string, backend: BackendKind, freshForMs: number): Promise<number[]> {
  const store = openStore(url, backend, freshForMs);
  await store.snapshot();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    const r = await store.transact('bench', () =>
      new ChangeSet().put('status', { schemaVersion: 1, server: 'bench-latency', updatedAt: new Date().toISOString(), seq: i, health: { state: 'healthy' } }),
    );
    if (r.status !== 'committed') throw new Error(`unexpected ${r.status}`);
    times.push(performance.now() - t);
  }
  await store.close();
  return times;
}

console.log(`# bench:store\n\nmachine: ${machineInfo()}\n`);
for (const backend of backends) {
  const { url, server } = await freshRemote();
  const floorTimes = await floor(url, backend);
  const f50 = percentile(floorTimes, 50);
  const fetchFirst = await latency(url, backend, 0);
  const reuse = await latency(url, backend, 1000);
  console.log(`## ${backend} backend\n`);
  console.log(
    `floor: bare push of one small commit (${backend === 'cli' ? 'git push' : 'isomorphic-git push'}), p50 ${ms(f50)}, p95 ${ms(percentile(floorTimes, 95))}\n`,
  );
  console.log(
    table(
      ['transaction (one writer, sequential)', 'p50', 'p95', 'p50 / floor', 'p95 / floor'],
      [
        [
          'fetch first (as a one-shot CLI run)',
          ms(percentile(fetchFirst, 50)),
          ms(percentile(fetchFirst, 95)),
          ratio(percentile(fetchFirst, 50) / f50),
          ratio(percentile(fetchFirst, 95) / f50),
        ],
        [
          'head known (daemon, default 1 s reuse)',
          ms(percentile(reuse, 50)),
          ms(percentile(reuse, 95)),
          ratio(percentile(reuse, 50) / f50),
          ratio(percentile(reuse, 95) / f50),
        ],
      ],
    ),
  );
  await server.stop();
  // The single-writer rate: one writer committing one transaction after another, each
  // fetching first as every raced writer does.
  const single = 1000 / percentile(fetchFirst, 50);
  console.log(`\nsingle writer, sequential (fetch first): ${single.toFixed(1)} commits/s\n`);
  const rows: (string | number)[][] = [];
  for (const n of writerCounts) {
    const remote = await freshRemote();
    const perProcess = Math.ceil(n / PROCESS_LIMIT);
    const { outcomes, wallMs } = await raceWriters({
      url: remote.url,
      backend,
      writers: n,
      mode: 'put',
      perProcess,
      workDir: path.join(work, `race-${repoCounter++}`),
    });
    const landed = outcomes.filter((o) => o.status === 'committed').length;
    const attempts = outcomes.reduce((sum, o) => sum + (o.attempts ?? 0), 0);
    const fetches = outcomes.reduce((sum, o) => sum + (o.fetches ?? 0), 0);
    const lat = outcomes.map((o) => o.ms ?? 0);
    const rate = landed / (wallMs / 1000);
    rows.push([
      perProcess > 1 ? `${n} (${perProcess} per process)` : n,
      `${landed}/${n}`,
      `${(wallMs / 1000).toFixed(1)} s`,
      (landed ? attempts / landed : 0).toFixed(2),
      (landed ? fetches / landed : 0).toFixed(2),
      `${rate.toFixed(1)}/s`,
      ratio(rate / single),
      `${(percentile(lat, 50) / 1000).toFixed(1)} s`,
      `${(percentile(lat, 95) / 1000).toFixed(1)} s`,
    ]);
    await remote.server.stop();
  }
  const heads = ['writers', 'landed', 'wall', 'attempts per commit', 'fetches per commit', 'commits/s', 'of single-writer rate', 'writer p50', 'writer p95'];
  console.log(`${table(heads, rows)}\n`);
}
await fs.rm(work, { recursive: true, force: true });
