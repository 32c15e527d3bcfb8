/**
 * npm run bench:coordinator — the coordinator's tick over a large fleet: 1,000 servers
 * and 100,000 jobs, written with one `git fast-import`. Measures a full tick (a
 * coordinator that starts from nothing: read every job and status, decide, commit)
 * and incremental ticks (another writer changes <= 100 files between ticks), against
 * baselines measured in the same run: git itself reading every record (ls-tree and
 * cat-file --batch) and a bare `git push` of one small commit.
 */
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Coordinator, type TickReport } from '../../src/coordinator/Coordinator.js';
import { FleetIndex } from '../../src/coordinator/FleetIndex.js';
import { createStore } from '../../src/config/createStore.js';
import type { Job, ServerStatus } from '../../src/schema/types.js';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import type { Store } from '../../src/store/Store.js';
import { silentLogger } from '../../src/util/logger.js';
import { machineInfo, ms, percentile, ratio, table } from './benchUtil.js';

const SERVERS = Number(process.env.BENCH_SERVERS ?? 1000);
const JOBS = Number(process.env.BENCH_JOBS ?? 100_000);
const SLOTS = 2;
const ROUNDS = 7;
const run = promisify(execFile);
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'gitfleet-bench-coord-'));
const T0 = Date.now();
const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

function server(i: number): string {
  return `srv-${String(i).padStart(4, '0')}`;
}

/** The fleet: every server full but 100 free slots, 3,000 jobs queued, the rest finished. */
function buildFleet(archive: boolean): { files: Map<string, string>; running: Job[] } {
  const files = new Map<string, string>();
  const running: Job[] = [];
  const runningBy = new Map<string, Job[]>();
  const freeSlots = 100;
  const runningCount = SERVERS * SLOTS - freeSlots;
  const queued = 3000;
  for (let j = 0; j < JOBS; j++) {
    const id = `job-${String(j).padStart(7, '0')}`;
    const base: Job = {
      schemaVersion: 1,
      id,
      kind: 'build',
      params: { target: `t${j % 97}` },
      priority: (['critical', 'high', 'normal', 'low'] as const)[j % 4]!,
      state: 'succeeded',
      createdAt: iso(-3_600_000 + j),
      createdBy: 'op:bench',
      attempts: 1,
    };
    let job: Job;
    if (j < runningCount) {
      const srv = server(Math.floor(j / SLOTS));
      job = {
        ...base,
        state: 'running',
        assignment: { server: srv, attempt: 1, claimId: (j + 0x10000000).toString(16), assignedAt: iso(-60_000), startedAt: iso(-59_000), epoch: 1 },
      };
      running.push(job);
      runningBy.set(srv, [...(runningBy.get(srv) ?? []), job]);
    } else if (j < runningCount + queued) {
      job = { ...base, state: 'queued', attempts: 0 };
    } else {
      job = {
        ...base,
        result: { exitCode: 0, finishedAt: iso(-1_000_000), durationMs: 1234, outputTail: 'ok' },
        history: [{ attempt: 1, server: server(j % SERVERS), outcome: 'succeeded', exitCode: 0, endedAt: iso(-1_000_000) }],
      };
      // Finished long ago: where the coordinator's archiving puts it (after archiveAfterHours).
      if (archive) {
        files.set(`jobs/archive/2026-10/${id}.json`, JSON.stringify(job));
        continue;
      }
    }
    files.set(`jobs/${id}.json`, JSON.stringify(job));
  }
  for (let i = 0; i < SERVERS; i++) files.set(`status/${server(i)}.json`, JSON.stringify(statusOf(i, 1, runningBy.get(server(i)) ?? [])));
  files.set(
    'fleet.json',
    JSON.stringify({
      schemaVersion: 1,
      heartbeat: { periodSeconds: 60 },
      coordinator: { leaseSeconds: 60, tickSeconds: 10 },
      placement: { maxJobsPerServer: SLOTS },
    }),
  );
  return { files, running };
}

function statusOf(i: number, seq: number, running: Job[]): ServerStatus {
  return {
    schemaVersion: 1,
    server: server(i),
    updatedAt: new Date().toISOString(),
    seq,
    health: { state: 'healthy' },
    labels: [i % 2 ? 'linux' : 'arm'],
    cpu: { cores: 8, usagePercent: (i * 7) % 100 },
    heartbeat: { periodSeconds: 60 },
    jobs: {
      slots: SLOTS,
      kinds: ['build'],
      running: running.map((j) => ({ id: j.id, attempt: 1, claimId: j.assignment!.claimId, startedAt: j.assignment!.startedAt! })),
    },
  };
}

async function fastImport(bareDir: string, files: Map<string, string>): Promise<void> {
  const child = spawn('git', ['--git-dir', bareDir, 'fast-import', '--quiet', '--done'], { stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)))));
  const out: string[] = [`commit refs/heads/main\ncommitter bench <b@b> ${Math.floor(T0 / 1000)} +0000\ndata 5\nfleet\n`];
  for (const [p, text] of files) out.push(`M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  out.push('done\n');
  child.stdin.end(out.join(''));
  await done;
}

/** Push times of the coordinator's transactions (from the store's debug log). */
const pushTimes: number[] = [];
const pushLogger = { ...silentLogger, debug: (event: string, fields?: Record<string, unknown>) => event === 'txn.push' && pushTimes.push(Number(fields?.ms)) };

function openStore(url: string, name: string): Store {
  return createStore({
    remote: url,
    cacheDir: path.join(work, name),
    networkTimeoutMs: 120_000,
    actor: name,
    recordCacheBytes: 512 * 1024 * 1024,
    deadlineMs: 600_000,
    ...(name.startsWith('coordinator') ? { logger: pushLogger } : {}),
  });
}

async function measure(archive: boolean): Promise<void> {
  const root = path.join(work, archive ? 'remote-archived' : 'remote');
  const bareDir = path.join(root, 'fleet.git');
  await createBareRepo(bareDir);
  const { files, running } = buildFleet(archive);
  let t = performance.now();
  await fastImport(bareDir, files);
  console.log(
    `## ${archive ? 'finished jobs archived (jobs/archive/YYYY-MM/, as the coordinator keeps them)' : 'every job in jobs/ (archiving off: the worst case)'}\n\nfleet: ${SERVERS} servers (${SLOTS} slots each, 100 free), ${JOBS.toLocaleString('en')} jobs (${running.length} running, 3,000 queued, the rest finished${archive ? ' and archived' : ''}); written in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
  const httpServer = await new GitHttpServer({ projectRoot: root }).start();
  const url = `${httpServer.url}/fleet.git`;

  // Baseline 1: git reading every record of the fleet from a fetched cache.
  const coordStore = openStore(url, `coordinator-${archive}`);
  t = performance.now();
  const head = (await coordStore.snapshot()).commit!;
  const firstFetchMs = performance.now() - t;
  const cache = path.join(work, `coordinator-${archive}`);
  const gitRead = async () => {
    const started = performance.now();
    const { stdout } = await run('git', ['--git-dir', cache, 'ls-tree', '-r', head, 'jobs', 'status'], { maxBuffer: 1 << 28 });
    // What a coordinator must read: live jobs and statuses (the archive is read only on demand).
    const oids = stdout
      .split('\n')
      .filter((l) => l && !l.includes('jobs/archive/'))
      .map((l) => l.split(/\s+/)[2])
      .join('\n');
    const child = spawn('git', ['--git-dir', cache, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout.on('data', (d: Buffer) => (bytes += d.length));
    const closed = new Promise((r) => child.on('close', r));
    child.stdin.end(`${oids}\n`);
    await closed;
    return { ms: performance.now() - started, bytes };
  };
  const gitReads = [];
  for (let i = 0; i < 3; i++) gitReads.push(await gitRead());
  const gitReadMs = percentile(
    gitReads.map((g) => g.ms),
    50,
  );

  // Baseline 2: a bare git push of one small commit to this remote.
  const pushDir = path.join(work, `pusher-${archive}`);
  await run('git', ['clone', '-q', '--depth', '1', url, pushDir], { maxBuffer: 1 << 26 });
  const pushes: number[] = [];
  for (let i = 0; i < 5; i++) {
    await fs.writeFile(path.join(pushDir, 'status', 'zz-floor.json'), `{"n":${i}}\n`);
    await run('git', ['-C', pushDir, '-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qam', `floor ${i}`].concat(i === 0 ? [] : []), {
      maxBuffer: 1 << 26,
    }).catch(async () => {
      await run('git', ['-C', pushDir, 'add', '-A']);
      await run('git', ['-C', pushDir, '-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', `floor ${i}`]);
    });
    const s = performance.now();
    await run('git', ['-C', pushDir, 'push', '-q', 'origin', 'HEAD:main']);
    pushes.push(performance.now() - s);
  }
  const floorMs = percentile(pushes, 50);
  await fs.rm(pushDir, { recursive: true, force: true });

  // Full tick: a coordinator that has read nothing yet.
  const coordinator = new Coordinator({ store: coordStore, holder: 'coord-bench', remoteUrl: url, logger: silentLogger });
  const full = await coordinator.tick();
  // A cold restart on a warm git cache: parse everything again.
  const rereads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const index = new FleetIndex(coordStore.backend);
    const s = performance.now();
    await index.refresh(full.head!, Date.now());
    rereads.push(performance.now() - s);
  }

  // Incremental ticks: between ticks another writer finishes 50 running jobs and 50 servers report.
  const writer = openStore(url, `writer-${archive}`);
  const incremental: TickReport[] = [];
  pushTimes.length = 0;
  const totals: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const finished = running.splice(0, 50);
    await writer.transact(`round ${round}`, async (snap) => {
      const changes = new ChangeSet();
      for (const job of finished) {
        const current = await snap.get('job', job.id);
        if (current)
          changes.put('job', { ...current, state: 'succeeded', assignment: undefined as never, result: { exitCode: 0, finishedAt: new Date().toISOString() } });
      }
      for (let k = 0; k < 50; k++) {
        const i = (round * 50 + k) % SERVERS;
        const current = await snap.get('status', server(i));
        if (current)
          changes.put('status', {
            ...current,
            seq: current.seq + 1,
            updatedAt: new Date().toISOString(),
            jobs: { ...current.jobs, running: (current.jobs?.running ?? []).filter((r) => !finished.some((f) => f.id === r.id)) },
          });
      }
      return changes;
    });
    const s = performance.now();
    const report = await coordinator.tick();
    totals.push(performance.now() - s);
    incremental.push(report);
  }

  const inc = (f: (r: TickReport) => number) => percentile(incremental.map(f), 50);
  const fullRead = full.refresh.readMs;
  console.log(`first fetch of the fleet (depth 1, ${(gitReads[0]!.bytes / 2 ** 20).toFixed(0)} MiB of records): ${(firstFetchMs / 1000).toFixed(2)} s\n`);
  console.log(
    'baselines (same run): git reading every job and status (ls-tree + cat-file --batch) ' +
      `${ms(gitReadMs)}; bare git push of one small commit ${ms(floorMs)}\n`,
  );
  console.log(
    table(
      ['tick', 'files read', 'read', 'decide', 'read + decide', 'vs baseline', 'commit', 'decisions'],
      [
        [
          'full (first tick)',
          full.refresh.changedFiles,
          ms(fullRead),
          ms(full.decideMs),
          ms(fullRead + full.decideMs),
          `${ratio((fullRead + full.decideMs) / gitReadMs)} git read`,
          ms(full.commitMs),
          JSON.stringify(full.decisions),
        ],
        [
          'full (restart, warm git cache), p50 of 3',
          full.refresh.changedFiles,
          ms(percentile(rereads, 50)),
          '',
          '',
          `${ratio(percentile(rereads, 50) / gitReadMs)} git read`,
          '',
          '',
        ],
        [
          `incremental, p50 of ${ROUNDS}`,
          inc((r) => r.refresh.changedFiles),
          ms(inc((r) => r.refresh.readMs)),
          ms(inc((r) => r.decideMs)),
          ms(inc((r) => r.refresh.readMs + r.decideMs)),
          `${ratio(inc((r) => r.refresh.readMs + r.decideMs) / floorMs)} push`,
          ms(inc((r) => r.commitMs)),
          `assign ${inc((r) => r.decisions.assign)}`,
        ],
      ],
    ),
  );
  console.log(
    `\nincremental tick end to end (fetch, read, decide, commit and push), p50 ${ms(percentile(totals, 50))}, p95 ${ms(percentile(totals, 95))} = ${ratio(percentile(totals, 50) / floorMs)} the bare push`,
  );
  console.log(`of a commit, the push itself (the git server unpacking and checking the new trees): p50 ${ms(percentile(pushTimes, 50))}`);
  console.log(`modes: ${incremental.map((r) => r.refresh.mode).join(', ')}\n`);
  await coordStore.close();
  await writer.close();
  await httpServer.stop();
}

console.log(`# bench:coordinator\n\n${machineInfo()}\n`);
for (const archive of [false, true]) await measure(archive);
await fs.rm(work, { recursive: true, force: true });
