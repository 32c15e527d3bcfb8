/**
 * `npm run bench:scale`: what a fleet costs its upstream repository with and without site
 * relays (issue 15), and the repository a week of it leaves.
 *
 * - With relays: `--relays` site relays (`gitfleet relay --parent`, real processes) chained
 *   under one top relay (`gitfleet relay --repo`, a real process), the only relay that
 *   pushes upstream. Each site's servers are written by one simulated writer: every
 *   `--writer-every` seconds it commits the heartbeats whose slot came due (one commit per
 *   server, on that server's own ref) and pushes them to the site relay's inbox refs in one
 *   push (cheaper than one process per server; the relay side is the real one). A real
 *   coordinator loop runs against the upstream at fleet.json's tick, with a job submitted
 *   every `--job-every` seconds so it has work. One site relay is killed (SIGKILL) and
 *   restarted mid-run, and the upstream is down for `--outage` seconds; at the end every
 *   server's last heartbeat must be upstream.
 * - Without relays, in the same run: the same servers, each heartbeat a real status
 *   transaction against a fresh upstream (one fetch and one push, replayed on lost races),
 *   run by `--direct-workers` Stores in turn (2,000 Stores do not fit this machine), for
 *   `--direct-duration` seconds. GITFLEET_BENCH_QUEUE=0 runs them with the commit queue off.
 * - A simulated week (simulatedWeek.ts): the repository the relayed fleet leaves after 7 days
 *   with fleet.json's scheduled compaction: size, largest folder, clone time.
 *
 * Every proxy counts `POST git-receive-pack` (a push) and `GET info/refs` (a git read).
 * Freshness: every `--sample-every` seconds, each server's status age upstream (now -
 * updatedAt) in heartbeat periods (no status yet: infinite), from one heartbeat period plus
 * the chain's delay after the start; p95 over all samples, and over those outside the two
 * disturbances (plus the time a heartbeat needs to cross the chain after each) as "steady".
 *
 *   npm run bench:scale -- --servers 200 --relays 2 --duration 240 --direct-duration 60 --week false
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createStore } from '../../src/config/createStore.js';
import { RELAY_USERNAME } from '../../src/config/startRelay.js';
import { Coordinator } from '../../src/coordinator/Coordinator.js';
import { runCoordinatorLoop } from '../../src/coordinator/runCoordinatorLoop.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import { submitJobPlan } from '../../src/jobs/operatorPlans.js';
import type { ServerStatus } from '../../src/schema/types.js';
import { resolveFleetSettings } from '../../src/settings/fleetSettings.js';
import { buildStatusRecord } from '../../src/status/buildStatusRecord.js';
import { statusPlan } from '../../src/status/statusPlan.js';
import type { Store } from '../../src/store/Store.js';
import { createLogger } from '../../src/util/logger.js';
import { hostSample } from '../../tests/helpers/hostSample.js';
import { machineInfo, percentile, table } from './benchUtil.js';
import { ages, type CountingProxy, countingProxy, git, perMinute, startUpstream, upstreamStatuses } from './scaleUpstream.js';
import { simulateWeek } from './simulatedWeek.js';

const { values: args } = parseArgs({
  options: {
    servers: { type: 'string', default: '2000' },
    period: { type: 'string', default: '60' },
    relays: { type: 'string', default: '10' },
    'site-every': { type: 'string', default: '10' },
    'top-every': { type: 'string', default: '25' },
    'writer-every': { type: 'string', default: '2' },
    'job-every': { type: 'string', default: '60' },
    duration: { type: 'string', default: '480' },
    outage: { type: 'string', default: '60' },
    'sample-every': { type: 'string', default: '20' },
    'direct-workers': { type: 'string', default: '40' },
    'direct-duration': { type: 'string', default: '120' },
    week: { type: 'string', default: 'true' },
  },
});
const N = Number(args.servers);
const PERIOD_MS = Number(args.period) * 1000;
const RELAYS = Number(args.relays);
const SITE_EVERY_MS = Number(args['site-every']) * 1000;
const TOP_EVERY_MS = Number(args['top-every']) * 1000;
const WRITER_EVERY_MS = Number(args['writer-every']) * 1000;
const JOB_EVERY_MS = Number(args['job-every']) * 1000;
const DURATION_MS = Number(args.duration) * 1000;
const OUTAGE_MS = Number(args.outage) * 1000;
const SAMPLE_MS = Number(args['sample-every']) * 1000;
const DIRECT_WORKERS = Number(args['direct-workers']);
const DIRECT_DURATION_MS = Number(args['direct-duration']) * 1000;
/** How long a heartbeat takes at most to cross writer -> site relay -> top relay -> upstream (plus a fold's own time). */
const CHAIN_MS = WRITER_EVERY_MS + SITE_EVERY_MS + TOP_EVERY_MS + 10_000;
const SITE_TOKEN = 'bench-site-token';
const TOP_TOKEN = 'bench-top-token';
const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');
/** What fleet.json says in both runs: the relays declared, the compaction the week uses. */
const FLEET = {
  heartbeat: { periodSeconds: PERIOD_MS / 1000 },
  relays: { count: 1, periodSeconds: TOP_EVERY_MS / 1000 },
  compaction: { every: '1h', keepDays: 7, targetMiB: 512 },
};
const logger = createLogger({ level: (process.env.BENCH_LOG as 'info') ?? 'error' });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const serverId = (i: number) => `srv-${String(i).padStart(4, '0')}`;
/** A server's slot within the period (stable, spread like the agent's). */
const slotOf = (i: number) => ((i * 7919) % 1000) * (PERIOD_MS / 1000);
const SERVERS = Array.from({ length: N }, (_, i) => serverId(i));

function template(server: string): ServerStatus {
  return buildStatusRecord({
    server,
    seq: 1,
    mode: 'simulated',
    labels: [],
    capabilities: [],
    draining: false,
    runningJobs: [],
    jobSlots: 1,
    jobKinds: ['bench'],
    periodSeconds: PERIOD_MS / 1000,
    slotSeconds: 0,
    history: [],
    availability: { pct24h: 100, pct7d: 100 },
    settings: resolveFleetSettings(FLEET as never),
    sample: hostSample({ at: Date.now() }),
  });
}

interface RelayProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

/** `gitfleet relay` in its own process; resolves with the URL it prints. */
async function relayProcess(args: string[], env: Record<string, string>): Promise<RelayProcess> {
  const child = spawn(process.execPath, [BIN, 'relay', ...args, '--log-level', process.env.BENCH_LOG ?? 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  child.stderr!.on('data', (d: Buffer) => {
    if (process.env.BENCH_LOG) process.stderr.write(d);
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /relay: (http:\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`gitfleet relay exited ${code}: ${out.slice(0, 300)}`)));
  });
  return { child, url, exited };
}

/** One site's simulated servers: their heartbeats committed locally and pushed to the relay's inbox refs. */
class SiteWriter {
  readonly seq = new Map<string, number>();
  readonly lastSlot = new Map<string, number>();
  pushFailures = 0;
  constructor(
    readonly scratch: string,
    readonly servers: { id: string; index: number; status: ServerStatus }[],
    public relayUrl: string,
  ) {}

  async tick(now: number): Promise<void> {
    const due = this.servers.filter((s) => {
      const slot = Math.floor((now - slotOf(s.index)) / PERIOD_MS);
      if (this.lastSlot.get(s.id) === slot) return false;
      this.lastSlot.set(s.id, slot);
      return true;
    });
    if (due.length === 0) return;
    let input = '';
    for (const s of due) {
      const seq = (this.seq.get(s.id) ?? 0) + 1;
      const text = JSON.stringify({ ...s.status, seq, updatedAt: new Date(now).toISOString() });
      const body = `hb ${seq}`;
      input += `commit refs/heads/${s.id}\ncommitter bench <bench@example.invalid> ${Math.floor(now / 1000)} +0000\ndata ${body.length}\n${body}\nM 100644 inline status/${s.id}.json\ndata ${Buffer.byteLength(text)}\n${text}\n\n`;
      this.seq.set(s.id, seq);
    }
    await git(['--git-dir', this.scratch, 'fast-import', '--quiet', '--force'], input);
    const url = this.relayUrl.replace('http://', `http://${RELAY_USERNAME}:${SITE_TOKEN}@`);
    try {
      await git(['--git-dir', this.scratch, 'push', '--quiet', '--force', url, ...due.map((s) => `refs/heads/${s.id}:refs/relay/inbox/${s.id}`)]);
    } catch {
      // The relay is down: a real agent would go direct; the simulation retries next tick.
      this.pushFailures++;
      for (const s of due) {
        this.lastSlot.delete(s.id);
        this.seq.set(s.id, this.seq.get(s.id)! - 1);
      }
    }
  }
}

function counts(proxies: CountingProxy[], from: number, to: number) {
  return {
    pushes: proxies.reduce((n, p) => n + perMinute(p.pushes, from, to), 0),
    reads: proxies.reduce((n, p) => n + perMinute(p.reads, from, to), 0) / 60,
  };
}

async function withRelays(root: string) {
  const up = await startUpstream(root, FLEET);
  const topProxy = await countingProxy(up.url);
  const coordProxy = await countingProxy(up.url);
  const opsProxy = await countingProxy(up.url);
  const tokens = path.join(root, 'tokens');
  await fs.mkdir(tokens, { recursive: true });
  await fs.writeFile(path.join(tokens, 'top'), `${TOP_TOKEN}\n`);
  await fs.writeFile(path.join(tokens, 'site'), `${SITE_TOKEN}\n`);
  const top = await relayProcess(
    [
      '--repo',
      topProxy.url,
      '--port',
      '0',
      '--token-file',
      path.join(tokens, 'top'),
      '--every',
      `${TOP_EVERY_MS / 1000}s`,
      '--dir',
      path.join(root, 'top'),
      '--cache-dir',
      path.join(root, 'top-cache'),
      '--data-dir',
      path.join(root, 'top-data'),
    ],
    {},
  );
  const openSite = (i: number, port = '0') =>
    relayProcess(
      [
        '--parent',
        top.url,
        '--port',
        port,
        '--token-file',
        path.join(tokens, 'site'),
        '--every',
        `${SITE_EVERY_MS / 1000}s`,
        '--dir',
        path.join(root, `site-${i}`),
        '--data-dir',
        path.join(root, `site-data-${i}`),
      ],
      { GITFLEET_PARENT_RELAY_TOKEN: TOP_TOKEN },
    );
  const sites: RelayProcess[] = [];
  const writers: SiteWriter[] = [];
  for (let i = 0; i < RELAYS; i++) {
    sites.push(await openSite(i));
    const scratch = path.join(root, `writer-${i}.git`);
    await git(['init', '--bare', '--quiet', scratch]);
    const mine = SERVERS.map((id, index) => ({ id, index, status: template(id) })).filter((s) => s.index % RELAYS === i);
    writers.push(new SiteWriter(scratch, mine, sites[i]!.url));
  }
  // The coordinator and an operator submitting jobs, each through its own counting proxy.
  const coordStore = createStore({ remote: coordProxy.url, cacheDir: path.join(root, 'coord-cache'), actor: 'coord-bench', logger, networkTimeoutMs: 20_000 });
  const coordinator = new Coordinator({ store: coordStore, holder: 'coord-bench', remoteUrl: coordProxy.url, logger });
  const coordTicks = { committed: 0, total: 0, failed: 0 };
  const stop = new AbortController();
  const coordLoop = runCoordinatorLoop(coordinator, {
    signal: stop.signal,
    remoteUrl: coordProxy.url,
    onTick: (r) => {
      coordTicks.total++;
      if (r.result === 'committed') coordTicks.committed++;
    },
  });
  const ops = createStore({ remote: opsProxy.url, cacheDir: path.join(root, 'ops-cache'), actor: 'op:bench', logger, networkTimeoutMs: 20_000 });
  let jobsSubmitted = 0;
  let jobsFailed = 0;

  const started = Date.now();
  const samples: number[] = [];
  const steadySamples: number[] = [];
  const events: string[] = [];
  const disturbances: [number, number][] = [];
  const at = (t: number) => `${Math.round((t - started) / 1000)} s`;
  let nextSample = started + PERIOD_MS + CHAIN_MS;
  let nextJob = started + JOB_EVERY_MS / 2;
  let stage = 0;
  let writerTurn = 0;
  while (Date.now() - started < DURATION_MS) {
    const now = Date.now();
    const t = now - started;
    // The writers in turn, one every WRITER_EVERY_MS / RELAYS: their pushes do not all land in one second.
    await writers[writerTurn++ % RELAYS]!.tick(now);
    if (stage === 0 && t > 0.35 * DURATION_MS) {
      stage = 1;
      const port = new URL(sites[0]!.url).port;
      sites[0]!.child.kill('SIGKILL');
      await sites[0]!.exited;
      const killedAt = Date.now();
      events.push(`site relay 0 killed (SIGKILL) at ${at(killedAt)}`);
      setTimeout(async () => {
        sites[0] = await openSite(0, port);
        disturbances.push([killedAt, Date.now()]);
        events.push(`site relay 0 restarted at ${at(Date.now())} on the same folder and port`);
      }, 2 * SITE_EVERY_MS);
    }
    if (stage === 1 && t > 0.6 * DURATION_MS && OUTAGE_MS > 0) {
      stage = 2;
      await up.server.stop();
      disturbances.push([now, now + OUTAGE_MS]);
      events.push(`upstream down from ${at(now)} for ${OUTAGE_MS / 1000} s`);
      setTimeout(() => void up.server.start(), OUTAGE_MS);
    }
    if (now >= nextJob) {
      nextJob += JOB_EVERY_MS;
      const job = composeJob({ kind: 'bench', params: {}, createdBy: 'op:bench' });
      void ops.transact(`job submit ${job.id}`, submitJobPlan(job)).then(
        (r) => (r.status === 'committed' ? jobsSubmitted++ : jobsFailed++),
        () => jobsFailed++,
      );
    }
    if (now >= nextSample) {
      nextSample += SAMPLE_MS;
      const a = ages(await upstreamStatuses(up.bareDir), SERVERS, now, PERIOD_MS);
      samples.push(...a);
      const disturbed = disturbances.some(([from, to]) => now >= from && now < to + CHAIN_MS + PERIOD_MS) || (stage === 1 && disturbances.length === 0);
      if (!disturbed) steadySamples.push(...a);
    }
    await sleep(Math.max(0, WRITER_EVERY_MS / RELAYS - (Date.now() - now)));
  }
  const end = Date.now();
  const measured = counts([topProxy, coordProxy, opsProxy], started, end);
  const byWriter = {
    top: counts([topProxy], started, end),
    coordinator: counts([coordProxy], started, end),
    ops: counts([opsProxy], started, end),
  };
  // Drain: until every server's last heartbeat is upstream, or two chain delays.
  const lastSeq = new Map<string, number>();
  for (const w of writers) for (const [id, seq] of w.seq) lastSeq.set(id, seq);
  let lost = N;
  const drainUntil = Date.now() + 2 * CHAIN_MS;
  while (Date.now() < drainUntil) {
    const statuses = await upstreamStatuses(up.bareDir);
    lost = SERVERS.filter((id) => (statuses.get(id)?.seq ?? 0) < (lastSeq.get(id) ?? 0)).length;
    if (lost === 0) break;
    await sleep(2000);
  }
  const drainedMs = Date.now() - end;
  stop.abort();
  await coordLoop;
  for (const r of [...sites, top]) {
    r.child.kill('SIGTERM');
    await r.exited;
  }
  await coordStore.close();
  await ops.close();
  for (const p of [topProxy, coordProxy, opsProxy]) await p.close();
  await up.server.stop();
  return {
    ...measured,
    byWriter,
    p95: percentile(samples, 95),
    p95Steady: percentile(steadySamples, 95),
    lost,
    drainedMs,
    heartbeats: writers.reduce((n, w) => n + [...w.seq.values()].reduce((a, b) => a + b, 0), 0),
    writerPushFailures: writers.reduce((n, w) => n + w.pushFailures, 0),
    coordTicks,
    jobsSubmitted,
    jobsFailed,
    events,
    bareDir: up.bareDir,
  };
}

/** The same servers without relays: each heartbeat one status transaction, run by a pool of Stores. */
async function direct(root: string) {
  const up = await startUpstream(root, FLEET);
  const proxy = await countingProxy(up.url);
  const workers: Store[] = Array.from({ length: DIRECT_WORKERS }, (_, w) =>
    createStore({
      remote: proxy.url,
      cacheDir: path.join(root, `worker-cache-${w}`),
      actor: `direct-${w}`,
      logger,
      deadlineMs: PERIOD_MS,
      commitQueue: process.env.GITFLEET_BENCH_QUEUE !== '0',
    }),
  );
  // GITFLEET_BENCH_TRACE=1: what the writers' transactions did (pushes by outcome, fetches,
  // how they ended), printed when the direct run ends.
  const tally = new Map<string, number>();
  const bump = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);
  if (process.env.GITFLEET_BENCH_TRACE === '1') {
    for (const w of workers) {
      w.events.on('txn.push', (e) => bump(`push ${e.outcome.replace(/\d+/g, 'N')}`));
      w.events.on('txn.fetch', () => bump('fetch'));
      w.events.on('txn.done', (e) => bump(`done ${e.status} in ${Math.min(e.attempts, 9)}${e.attempts >= 9 ? '+' : ''} attempts`));
    }
  }
  const templates = SERVERS.map((id) => template(id));
  const seq = new Array<number>(N).fill(0);
  const queue: number[] = [];
  const started = Date.now();
  const lastSlot = new Array<number>(N).fill(Math.floor((started - PERIOD_MS) / PERIOD_MS));
  let landed = 0;
  let gaveUp = 0;
  let due = 0;
  const samples: number[] = [];
  let done = false;
  const scheduler = (async () => {
    let nextSample = started + PERIOD_MS;
    while (Date.now() - started < DIRECT_DURATION_MS) {
      const now = Date.now();
      for (let i = 0; i < N; i++) {
        const slot = Math.floor((now - slotOf(i)) / PERIOD_MS);
        if (slot > lastSlot[i]!) {
          lastSlot[i] = slot;
          queue.push(i);
          due++;
        }
      }
      if (now >= nextSample) {
        nextSample += SAMPLE_MS;
        samples.push(...ages(await upstreamStatuses(up.bareDir), SERVERS, now, PERIOD_MS));
      }
      await sleep(250);
    }
    done = true;
  })();
  const pool = workers.map(async (store) => {
    while (!done) {
      const i = queue.shift();
      if (i === undefined) {
        await sleep(100);
        continue;
      }
      seq[i]!++;
      const status = { ...templates[i]!, seq: seq[i]!, updatedAt: new Date().toISOString() };
      try {
        const r = await store.transact(`status ${status.server}`, statusPlan(status), { actor: status.server });
        if (r.status === 'committed') landed++;
        else gaveUp++;
      } catch {
        gaveUp++;
      }
    }
  });
  await Promise.all([scheduler, ...pool]);
  const end = Date.now();
  if (tally.size)
    console.log(
      `direct writers' transactions: ${[...tally]
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  const measured = counts([proxy], started, end);
  for (const w of workers) await w.close();
  await proxy.close();
  await up.server.stop();
  return { ...measured, p95: percentile(samples, 95), landed, gaveUp, due, backlog: queue.length, durationMs: end - started };
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gitfleet-scale-'));
try {
  const benchStart = Date.now();
  console.log(`# bench:scale on ${machineInfo()}`);
  console.log(
    `${N} servers, ${PERIOD_MS / 1000} s heartbeat; ${RELAYS} site relays (--every ${SITE_EVERY_MS / 1000}s) chained under one top relay (--every ${TOP_EVERY_MS / 1000}s) for ${DURATION_MS / 1000} s, a coordinator at fleet.json's tick and a job every ${JOB_EVERY_MS / 1000} s; site relay 0 killed at 35% and restarted ${(2 * SITE_EVERY_MS) / 1000} s later, upstream down ${OUTAGE_MS / 1000} s at 60%`,
  );
  const relayed = await withRelays(path.join(root, 'relayed'));
  console.log(relayed.events.map((e) => `- ${e}`).join('\n'));
  const d = await direct(path.join(root, 'direct'));
  const rows: (string | number)[][] = [
    [
      `${N} servers, ${RELAYS} site relays -> 1 top relay, coordinator and jobs included`,
      relayed.pushes.toFixed(1),
      relayed.reads.toFixed(2),
      relayed.p95.toFixed(2),
      relayed.p95Steady.toFixed(2),
      `${relayed.lost} of ${N} servers' last heartbeat (${relayed.heartbeats} heartbeats taken by site relays; all upstream ${(relayed.drainedMs / 1000).toFixed(0)} s after the end)`,
    ],
    [
      `${N} servers direct (${DIRECT_WORKERS} Stores in turn, ${(d.durationMs / 1000).toFixed(0)} s)`,
      d.pushes.toFixed(1),
      d.reads.toFixed(2),
      d.p95.toFixed(2),
      '—',
      `${d.landed} of ${d.due} due heartbeats landed, ${d.gaveUp} gave up, ${d.backlog} still queued at the end`,
    ],
  ];
  console.log(table(['setup', 'upstream pushes/min', 'upstream git reads/s', 'freshness p95 (periods)', 'p95 steady', 'lost'], rows));
  const w = relayed.byWriter;
  console.log(
    `Relayed run by writer: top relay ${w.top.pushes.toFixed(1)} pushes/min, ${w.top.reads.toFixed(2)} reads/s; coordinator ${w.coordinator.pushes.toFixed(1)} pushes/min, ${w.coordinator.reads.toFixed(2)} reads/s (${relayed.coordTicks.committed} of ${relayed.coordTicks.total} ticks committed); jobs ${w.ops.pushes.toFixed(1)} pushes/min (${relayed.jobsSubmitted} submitted, ${relayed.jobsFailed} failed). Site pushes refused while relay 0 was down: ${relayed.writerPushFailures}.`,
  );
  if (args.week !== 'false') {
    const week = await simulateWeek(path.join(root, 'week'), {
      servers: N,
      periodSeconds: PERIOD_MS / 1000,
      foldSeconds: TOP_EVERY_MS / 1000,
      jobsPerMinute: 60_000 / JOB_EVERY_MS,
      compaction: FLEET.compaction,
      buildCapHours: 6,
    });
    console.log(week.report);
  }
  console.log(`(whole bench: ${Math.round((Date.now() - benchStart) / 1000)} s)`);
} finally {
  await fs.rm(root, { recursive: true, force: true });
}
