/**
 * "A simulated week" of `npm run bench:scale`: the fleet repository a relayed fleet leaves
 * after seven days with fleet.json's scheduled compaction, built with `git fast-import`
 * (the objects a real fleet would create, written without 20,000 pushes).
 *
 * 1. Growth: an hour of top-relay folds (one commit every `foldSeconds`, each holding the
 *    status of every server whose heartbeat fell in it: realistic records with a rolling
 *    60-point history, as simulatedDay.ts) plus the job commits of that hour, on top of the
 *    fleet's state; `git repack -ad` as a host would; growth = the history's disk usage
 *    (`rev-list --disk-usage`, what scheduled compaction measures) per hour.
 * 2. The week: the coordinator compacts every `compaction.every` with the real rule
 *    (compactionKeepMs): the history kept after the last compaction, plus what grew since.
 * 3. The repository at the end of the week, built for real: the fleet's state (every status,
 *    the week's jobs archived in jobs/archive/YYYY-MM/<shard>/) as one compacted root, then
 *    the kept hours of folds (capped at `buildCapHours`; beyond it the size is projected
 *    from the growth and said so). Printed: its size, its largest folder, and the time of a
 *    `git clone` over the loopback smart-HTTP server.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compactionKeepMs } from '../../src/coordinator/scheduledCompaction.js';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import { resolveFleetSettings } from '../../src/settings/fleetSettings.js';
import { recordPath } from '../../src/store/recordPaths.js';
import { stringifyRecord } from '../../src/util/stringifyRecord.js';
import { syntheticStatus } from './syntheticStatus.js';
import { git } from './scaleUpstream.js';

export interface WeekOptions {
  servers: number;
  periodSeconds: number;
  foldSeconds: number;
  jobsPerMinute: number;
  compaction: { every: string; keepDays: number; targetMiB: number };
  /** At most this many hours of folds are built for real (default 1). */
  buildCapHours?: number;
}

const HOUR_MS = 3_600_000;
const MIB = 1024 * 1024;
const DAY0 = Date.UTC(2026, 10, 2);

/** A fast-import stream writer. */
function fastImport(bareDir: string) {
  const child = spawn('git', ['--git-dir', bareDir, 'fast-import', '--quiet', '--done'], { stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)))));
  const write = (chunk: string) => new Promise<void>((resolve) => (child.stdin.write(chunk) ? resolve() : child.stdin.once('drain', () => resolve())));
  return {
    write,
    async end() {
      child.stdin.end('done\n');
      await done;
    },
  };
}

/** A realistic status record of server `s` at time `t` (seconds), its history rolling per heartbeat. */
function statusRecord(s: number, t: number, beat: number, servers: number, periodSeconds: number): string {
  const server = `srv-${String(s).padStart(4, '0')}`;
  const history: number[][] = [];
  for (let k = Math.max(0, beat - 59); k <= beat; k++) {
    const tk = t - (beat - k) * periodSeconds;
    history.push([
      tk,
      Math.round((30 + 25 * Math.sin((k + s * 7) / 17) + (s % 10)) * 10) / 10,
      Math.round((40 + 10 * Math.sin((k + s) / 53)) * 10) / 10,
      Math.round((50 + k / 1000 + (s % 20)) * 10) / 10,
    ]);
  }
  return syntheticStatus({
    server,
    t,
    seq: beat + 1,
    history,
    uptimeSeconds: 86400 * 30 + beat * periodSeconds,
    labels: ['linux'],
    jobs: { slots: 1, running: [], kinds: ['bench'] },
    heartbeat: { periodSeconds, slotSeconds: Math.round((s / servers) * periodSeconds) },
  });
}

function jobRecord(n: number, at: number, state: 'queued' | 'succeeded'): { id: string; text: string } {
  const id = `job-${String(n).padStart(6, '0')}-bench`;
  const base = {
    schemaVersion: 1,
    id,
    kind: 'bench',
    params: {},
    priority: 'normal',
    createdAt: new Date(at).toISOString(),
    createdBy: 'op:bench',
    attempts: state === 'queued' ? 0 : 1,
  };
  const text =
    state === 'queued'
      ? stringifyRecord({ ...base, state })
      : stringifyRecord({
          ...base,
          state,
          assignedTo: `srv-${String(n % 2000).padStart(4, '0')}`,
          startedAt: new Date(at + 20_000).toISOString(),
          finishedAt: new Date(at + 80_000).toISOString(),
          exitCode: 0,
        });
  return { id, text };
}

const commitHeader = (ref: string, who: string, t: number, message: string) =>
  `commit ${ref}\nauthor ${who} <${who}@gitfleet.invalid> ${t} +0000\ncommitter ${who} <${who}@gitfleet.invalid> ${t} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`;
const inline = (file: string, text: string) => `M 100644 inline ${file}\ndata ${Buffer.byteLength(text)}\n${text}\n`;

/**
 * The fleet's state at `atMs` as one root commit (what compaction leaves below the kept
 * history): every status, fleet.json, and `archivedJobs` jobs in the sharded archive.
 */
async function writeState(bareDir: string, o: WeekOptions, atMs: number, archivedJobs: number, fleetJson: string): Promise<void> {
  const fi = fastImport(bareDir);
  const t = Math.floor(atMs / 1000);
  let body = commitHeader('refs/heads/main', 'coord-bench', t, 'compact: history folded\n');
  body += inline('fleet.json', fleetJson);
  body += inline('jobs/archive/README.md', '# archive\n');
  await fi.write(body);
  const beat = Math.floor((atMs - DAY0) / 1000 / o.periodSeconds);
  for (let s = 0; s < o.servers; s++)
    await fi.write(inline(`status/srv-${String(s).padStart(4, '0')}.json`, statusRecord(s, t, beat, o.servers, o.periodSeconds)));
  const month = new Date(atMs).toISOString().slice(0, 7);
  for (let n = 0; n < archivedJobs; n++) {
    const { id, text } = jobRecord(n, atMs - (archivedJobs - n) * 60_000, 'succeeded');
    await fi.write(inline(recordPath('job', id, { archiveMonth: month, sharded: true }), text));
  }
  await fi.write('\n');
  await fi.end();
}

/** `hours` of top-relay folds (and the jobs of those hours) on top of main, from `fromMs`. */
async function writeFolds(bareDir: string, o: WeekOptions, fromMs: number, hours: number, firstJob: number): Promise<void> {
  const fi = fastImport(bareDir);
  const folds = Math.round((hours * 3600) / o.foldSeconds);
  let job = firstJob;
  let jobDebt = 0;
  for (let f = 0; f < folds; f++) {
    const end = Math.floor(fromMs / 1000) + (f + 1) * o.foldSeconds;
    const start = end - o.foldSeconds;
    let body = commitHeader('refs/heads/main', 'op:relay-top', end, `relay: heartbeats\n\nGitfleet-Actor: op:relay-top\n`);
    if (f === 0) body += 'from refs/heads/main^0\n';
    await fi.write(body);
    // Each server whose slot fell in (start, end]: its heartbeat of that period.
    for (let s = 0; s < o.servers; s++) {
      const slot = Math.round((((s * 7919) % 1000) / 1000) * o.periodSeconds);
      const k = Math.floor((end - slot) / o.periodSeconds);
      const beatAt = k * o.periodSeconds + slot;
      if (beatAt <= start || beatAt > end) continue;
      const beat = Math.floor((beatAt - DAY0 / 1000) / o.periodSeconds);
      await fi.write(inline(`status/srv-${String(s).padStart(4, '0')}.json`, statusRecord(s, beatAt, beat, o.servers, o.periodSeconds)));
    }
    await fi.write('\n');
    // The jobs of this fold's time: submitted, then (a coordinator tick) finished in place.
    jobDebt += (o.jobsPerMinute * o.foldSeconds) / 60;
    while (jobDebt >= 1) {
      jobDebt--;
      const q = jobRecord(job, end * 1000, 'queued');
      await fi.write(`${commitHeader('refs/heads/main', 'op:bench', end, `job submit ${q.id}\n`)}${inline(`jobs/${q.id}.json`, q.text)}\n`);
      const done = jobRecord(job, end * 1000, 'succeeded');
      await fi.write(`${commitHeader('refs/heads/main', 'coord-bench', end + 1, `coordinator: tick\n`)}${inline(`jobs/${done.id}.json`, done.text)}\n`);
      job++;
    }
  }
  await fi.end();
}

async function diskUsage(bareDir: string, rev: string): Promise<number> {
  return Number((await git(['--git-dir', bareDir, 'rev-list', '--objects', '--disk-usage', rev])).trim());
}

async function packBytes(bareDir: string): Promise<number> {
  const dir = path.join(bareDir, 'objects', 'pack');
  let total = 0;
  for (const f of await fs.readdir(dir)) total += (await fs.stat(path.join(dir, f))).size;
  return total;
}

/** The largest folder of main's tree: its path and entries. */
async function largestFolder(bareDir: string): Promise<{ folder: string; entries: number }> {
  const list = await git(['--git-dir', bareDir, 'ls-tree', '-r', '-t', '--name-only', 'main']);
  const counts = new Map<string, number>();
  for (const p of list.split('\n').filter(Boolean)) {
    const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.';
    counts.set(parent, (counts.get(parent) ?? 0) + 1);
  }
  let best = { folder: '.', entries: 0 };
  for (const [folder, entries] of counts) if (entries > best.entries) best = { folder, entries };
  return best;
}

export async function simulateWeek(root: string, o: WeekOptions): Promise<{ report: string }> {
  const started = Date.now();
  const compaction = resolveFleetSettings({ schemaVersion: 1, compaction: o.compaction } as never).compaction!;
  const fleetJson = `${JSON.stringify({ schemaVersion: 1, name: 'scale', compaction: o.compaction }, null, 2)}\n`;
  const jobsPerHour = o.jobsPerMinute * 60;
  // 1. An hour of growth on top of the state.
  const sample = path.join(root, 'sample.git');
  await createBareRepo(sample);
  await writeState(sample, o, DAY0, 0, fleetJson);
  const base = (await git(['--git-dir', sample, 'rev-parse', 'main'])).trim();
  await writeFolds(sample, o, DAY0, 1, 0);
  await git(['--git-dir', sample, 'repack', '-adq']);
  const growthPerHour = (await diskUsage(sample, 'main')) - (await diskUsage(sample, base));
  const stateBytes = await diskUsage(sample, base);
  await fs.rm(sample, { recursive: true, force: true });
  // 2. The week, compaction by compaction (the real keep rule), from an empty history.
  const weekMs = 7 * 24 * HOUR_MS;
  let spanMs = 0;
  let lastCompaction = -Infinity;
  let peakBytes = 0;
  for (let t = 0; t <= weekMs; t += 60_000) {
    spanMs = Math.min(spanMs + 60_000, t);
    const size = stateBytes + (growthPerHour * spanMs) / HOUR_MS;
    peakBytes = Math.max(peakBytes, size);
    if (t - lastCompaction >= compaction.everyMs) {
      lastCompaction = t;
      spanMs = Math.min(spanMs, compactionKeepMs(compaction, { bytes: size, oldestMs: t - spanMs }, t));
    }
  }
  const projected = stateBytes + (growthPerHour * spanMs) / HOUR_MS;
  // 3. The repository at the end of the week, built: the compacted root, then the kept folds.
  const cap = o.buildCapHours ?? 1;
  const builtHours = Math.min(spanMs / HOUR_MS, cap);
  const projectRoot = path.join(root, 'served');
  const bare = path.join(projectRoot, 'fleet.git');
  await createBareRepo(bare);
  const endMs = DAY0 + weekMs;
  const archived = Math.round((jobsPerHour * (weekMs - spanMs)) / HOUR_MS);
  await writeState(bare, o, endMs - builtHours * HOUR_MS, archived, fleetJson);
  await writeFolds(bare, o, endMs - builtHours * HOUR_MS, builtHours, archived);
  await git(['--git-dir', bare, 'repack', '-adq']);
  const size = await packBytes(bare);
  const largest = await largestFolder(bare);
  const server = await new GitHttpServer({ projectRoot }).start();
  const cloneStart = Date.now();
  await git(['clone', '--quiet', '--bare', `${server.url}/fleet.git`, path.join(root, 'clone.git')]);
  const cloneMs = Date.now() - cloneStart;
  await server.stop();
  const built = builtHours < spanMs / HOUR_MS;
  const lines = [
    `A simulated week (${o.servers} servers, ${o.periodSeconds} s heartbeat, a top-relay fold every ${o.foldSeconds} s, ${jobsPerHour} jobs an hour; fleet.json compaction ${JSON.stringify(o.compaction)}):`,
    `- growth: ${(growthPerHour / MIB).toFixed(1)} MiB of history an hour (${((growthPerHour * 24) / MIB / 1024).toFixed(2)} GiB a day; rev-list --disk-usage after git repack), the fleet's state ${(stateBytes / MIB).toFixed(1)} MiB`,
    `- with that compaction the history kept at the end of the week spans ${(spanMs / HOUR_MS).toFixed(1)} h (peak before a compaction ${(peakBytes / MIB).toFixed(0)} MiB); without compaction the week would be ${((stateBytes + growthPerHour * 168) / MIB / 1024).toFixed(1)} GiB`,
    `- the repository at the end of the week${built ? ` (built with ${builtHours.toFixed(1)} h of the ${(spanMs / HOUR_MS).toFixed(1)} h kept; projected full size ${(projected / MIB).toFixed(0)} MiB)` : ''}: ${(size / MIB).toFixed(1)} MiB packed, largest folder ${largest.folder}/ with ${largest.entries} entries, git clone over loopback smart HTTP ${(cloneMs / 1000).toFixed(1)} s`,
    `  (the simulated week took ${Math.round((Date.now() - started) / 1000)} s to build and measure)`,
  ];
  return { report: lines.join('\n') };
}
