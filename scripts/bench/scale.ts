/**
 * `npm run bench:scale`: what a fleet costs its upstream repository with and without site
 * relays (issue 15). A loopback upstream (git http-backend behind GitHttpServer) sits behind
 * a counting proxy: every `POST git-receive-pack` is a push, every `GET info/refs` a git read
 * (each fetch, ls-remote or push starts with one). Simulated servers, not real collectors:
 *
 * - with relays: `--relays` relays (the real Relay loop and repository, in this process),
 *   each serving a share of the servers. Each site's servers are written by one simulated
 *   writer: every second it commits the heartbeats whose slot came due (one commit per
 *   server, on that server's own ref) and pushes them to the relay's inbox refs in one
 *   push, which keeps the simulation cheap; the relay side (inbox read, validation, fold,
 *   mirror) is the real one. One relay is stopped and restarted mid-run and the upstream is
 *   down for `--outage` seconds; at the end every server's last heartbeat must be upstream.
 * - without relays: every server is a Store of its own running the real status plan against
 *   the upstream at its slot (one fetch and one push per heartbeat, replayed on lost races).
 *
 * Freshness: every period, the age of each server's status upstream (now - updatedAt), in
 * heartbeat periods; p95 over all samples.
 *
 *   npm run bench:scale -- --servers 200 --period 10 --relays 4 --relay-every 10 --duration 120
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createStore } from '../../src/config/createStore.js';
import type { Fleet } from '../../src/config/openFleet.js';
import { RELAY_USERNAME, type RunningRelay, startRelay } from '../../src/config/startRelay.js';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import type { ServerStatus } from '../../src/schema/types.js';
import { resolveFleetSettings } from '../../src/settings/fleetSettings.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { buildStatusRecord } from '../../src/status/buildStatusRecord.js';
import { statusPlan } from '../../src/status/statusPlan.js';
import type { Store } from '../../src/store/Store.js';
import { createLogger } from '../../src/util/logger.js';
import { hostSample } from '../../tests/helpers/hostSample.js';
import { machineInfo, percentile, table } from './benchUtil.js';

const { values: args } = parseArgs({
  options: {
    servers: { type: 'string', default: '200' },
    period: { type: 'string', default: '10' },
    relays: { type: 'string', default: '4' },
    'relay-every': { type: 'string', default: '10' },
    duration: { type: 'string', default: '120' },
    outage: { type: 'string', default: '30' },
    'direct-servers': { type: 'string' },
    'direct-duration': { type: 'string', default: '60' },
    'skip-direct': { type: 'boolean', default: false },
  },
});
const N = Number(args.servers);
const PERIOD_MS = Number(args.period) * 1000;
const RELAYS = Number(args.relays);
const RELAY_EVERY_MS = Number(args['relay-every']) * 1000;
const DURATION_MS = Number(args.duration) * 1000;
const OUTAGE_MS = Number(args.outage) * 1000;
const DIRECT_N = Number(args['direct-servers'] ?? args.servers);
const DIRECT_DURATION_MS = Number(args['direct-duration']) * 1000;
const TOKEN = 'bench-site-token';
const logger = createLogger({ level: (process.env.BENCH_LOG as 'info') ?? 'warn' });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const serverId = (i: number) => `srv-${String(i).padStart(4, '0')}`;
/** A server's slot within the period (stable, spread like the agent's). */
const slotOf = (i: number, periodMs: number) => ((i * 7919) % 1000) * (periodMs / 1000);

/** A loopback proxy in front of the upstream that counts pushes and reads by time. */
async function countingProxy(target: string) {
  const pushes: number[] = [];
  const reads: number[] = [];
  const up = new URL(target);
  const server = http.createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    if (req.method === 'POST' && req.url?.endsWith('/git-receive-pack')) pushes.push(Date.now());
    if (req.method === 'GET' && req.url?.includes('/info/refs')) reads.push(Date.now());
    const forward = http.request(
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: `${up.hostname}:${up.port}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/fleet.git`, pushes, reads, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function template(server: string): ServerStatus {
  return buildStatusRecord({
    server,
    seq: 1,
    mode: 'simulated',
    labels: [],
    capabilities: [],
    draining: false,
    runningJobs: [],
    periodSeconds: PERIOD_MS / 1000,
    slotSeconds: 0,
    history: [],
    availability: { pct24h: 100, pct7d: 100 },
    settings: resolveFleetSettings(null),
    sample: hostSample({ at: Date.now() }),
  });
}

function git(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`git ${args[0]}: ${err.slice(0, 300)}`))));
    child.stdin.end(input ?? '');
  });
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
      const slot = Math.floor((now - slotOf(s.index, PERIOD_MS)) / PERIOD_MS);
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
    const url = this.relayUrl.replace('http://', `http://${RELAY_USERNAME}:${TOKEN}@`);
    try {
      await git(['--git-dir', this.scratch, 'push', '--quiet', '--force', url, ...due.map((s) => `refs/heads/${s.id}:refs/relay/inbox/${s.id}`)]);
    } catch {
      // The relay is down: these servers would go direct; the simulation counts and retries next time.
      this.pushFailures++;
      for (const s of due) {
        this.lastSlot.delete(s.id);
        this.seq.set(s.id, this.seq.get(s.id)! - 1);
      }
    }
  }
}

/** The age of every server's status upstream, in periods (read from the bare repository, not counted). */
async function freshness(bareDir: string, now: number): Promise<{ ages: number[]; seqs: Map<string, number> }> {
  const tree = await git(['--git-dir', bareDir, 'ls-tree', 'main', 'status/']).catch(() => '');
  const oids = tree
    .split('\n')
    .filter((l) => l.endsWith('.json'))
    .map((l) => l.split(/\s+/)[2]!);
  const ages: number[] = [];
  const seqs = new Map<string, number>();
  if (oids.length === 0) return { ages, seqs };
  const out = Buffer.from(await git(['--git-dir', bareDir, 'cat-file', '--batch'], `${oids.join('\n')}\n`));
  let at = 0;
  while (at < out.length) {
    const nl = out.indexOf(10, at);
    const size = Number(/ blob (\d+)$/.exec(out.subarray(at, nl).toString())?.[1] ?? -1);
    if (size < 0) break;
    const s = JSON.parse(out.subarray(nl + 1, nl + 1 + size).toString()) as ServerStatus;
    ages.push((now - Date.parse(s.updatedAt)) / PERIOD_MS);
    seqs.set(s.server, s.seq);
    at = nl + 1 + size + 1;
  }
  return { ages, seqs };
}

function perMinute(times: number[], from: number, to: number): number {
  return (times.filter((t) => t >= from && t < to).length * 60_000) / (to - from);
}

async function upstream(root: string) {
  const projectRoot = path.join(root, 'upstream');
  const bareDir = path.join(projectRoot, 'fleet.git');
  await createBareRepo(bareDir);
  const server = await new GitHttpServer({ projectRoot, maxBackends: 8 }).start();
  const proxy = await countingProxy(`${server.url}/fleet.git`);
  const init = createStore({ remote: `${server.url}/fleet.git`, cacheDir: path.join(root, 'init-cache'), actor: 'op:bench' });
  await init.transact('init', initFleetPlan({ name: 'scale' }), { createBranch: true });
  await init.close();
  return { bareDir, server, proxy };
}

async function withRelays(root: string) {
  const up = await upstream(root);
  const servers = Array.from({ length: N }, (_, i) => ({ id: serverId(i), index: i, status: template(serverId(i)) }));
  const relays: RunningRelay[] = [];
  const writers: SiteWriter[] = [];
  const relayFleet = (i: number): Fleet => {
    const cacheDir = path.join(root, `relay-cache-${i}`);
    const store = createStore({ remote: up.proxy.url, cacheDir, actor: `op:relay-${i}`, logger, networkTimeoutMs: 20_000 });
    return { config: undefined as never, remote: { url: up.proxy.url, protocol: 'http' }, store, cacheDir, close: () => store.close() };
  };
  const openRelay = (i: number, port = 0) =>
    startRelay({
      fleet: relayFleet(i),
      dir: path.join(root, `relay-${i}`),
      host: '127.0.0.1',
      port,
      token: TOKEN,
      periodMs: RELAY_EVERY_MS,
      logger,
      actor: `op:relay-${i}`,
    });
  for (let i = 0; i < RELAYS; i++) {
    relays.push(await openRelay(i));
    const scratch = path.join(root, `site-${i}.git`);
    await git(['init', '--bare', '--quiet', scratch]);
    writers.push(
      new SiteWriter(
        scratch,
        servers.filter((s) => s.index % RELAYS === i),
        relays[i]!.url,
      ),
    );
  }
  const started = Date.now();
  const samples: number[] = [];
  const cleanSamples: number[] = [];
  const events: string[] = [];
  let relayDown: [number, number] = [0, 0];
  let upstreamDown: [number, number] = [0, 0];
  let nextSample = started + PERIOD_MS;
  let stage = 0;
  while (Date.now() - started < DURATION_MS) {
    const now = Date.now();
    const t = now - started;
    await Promise.all(writers.map((w) => w.tick(now)));
    if (stage === 0 && t > 0.5 * DURATION_MS) {
      stage = 1;
      const port = new URL(relays[0]!.url).port;
      await relays[0]!.stop();
      relayDown = [now, 0];
      events.push(`relay 0 stopped at ${Math.round(t / 1000)} s`);
      setTimeout(async () => {
        relays[0] = await openRelay(0, Number(port));
        relayDown[1] = Date.now();
        events.push(`relay 0 restarted at ${Math.round((Date.now() - started) / 1000)} s`);
      }, RELAY_EVERY_MS * 2);
    }
    if (stage === 1 && t > 0.7 * DURATION_MS && OUTAGE_MS > 0) {
      stage = 2;
      await up.server.stop();
      upstreamDown = [now, now + OUTAGE_MS];
      events.push(`upstream down from ${Math.round(t / 1000)} s for ${OUTAGE_MS / 1000} s`);
      setTimeout(() => void up.server.start(), OUTAGE_MS);
    }
    if (now >= nextSample) {
      nextSample += PERIOD_MS;
      const { ages } = await freshness(up.bareDir, now);
      samples.push(...ages);
      // Outside the disturbances (and one relay period after each): the steady state.
      const disturbed = (w: [number, number]) => w[0] !== 0 && now >= w[0] && (w[1] === 0 || now < w[1] + 2 * RELAY_EVERY_MS + PERIOD_MS);
      if (!disturbed(relayDown) && !disturbed(upstreamDown)) cleanSamples.push(...ages);
    }
    await sleep(1000 - ((Date.now() - started) % 1000));
  }
  const end = Date.now();
  // Drain: two relay periods after the last heartbeat, every last one must be upstream.
  await sleep(2 * RELAY_EVERY_MS + 2000);
  const { seqs } = await freshness(up.bareDir, Date.now());
  let lost = 0;
  for (const w of writers) for (const [id, seq] of w.seq) if ((seqs.get(id) ?? 0) < seq) lost++;
  for (const r of relays) await r.stop();
  const result = {
    pushesPerMin: perMinute(up.proxy.pushes, started, end),
    readsPerSec: perMinute(up.proxy.reads, started, end) / 60,
    p95: percentile(samples, 95),
    p95Clean: percentile(cleanSamples, 95),
    lost,
    heartbeats: writers.reduce((n, w) => n + [...w.seq.values()].reduce((a, b) => a + b, 0), 0),
    writerPushFailures: writers.reduce((n, w) => n + w.pushFailures, 0),
    events,
  };
  await up.proxy.close();
  await up.server.stop();
  return result;
}

async function direct(root: string) {
  const up = await upstream(root);
  const stores: { id: string; index: number; store: Store; status: ServerStatus; seq: number }[] = [];
  for (let i = 0; i < DIRECT_N; i++) {
    const id = serverId(i);
    stores.push({
      id,
      index: i,
      status: template(id),
      seq: 0,
      store: createStore({ remote: up.proxy.url, cacheDir: path.join(root, `agent-cache-${i}`), actor: id, deadlineMs: PERIOD_MS * 3 }),
    });
  }
  const started = Date.now();
  const samples: number[] = [];
  let failures = 0;
  let landed = 0;
  const loops = stores.map(async (s) => {
    let slot = Math.ceil((Date.now() - slotOf(s.index, PERIOD_MS)) / PERIOD_MS);
    while (true) {
      const at = slot * PERIOD_MS + slotOf(s.index, PERIOD_MS);
      if (at - started >= DIRECT_DURATION_MS) return;
      await sleep(Math.max(0, at - Date.now()));
      s.seq++;
      const status = { ...s.status, seq: s.seq, updatedAt: new Date().toISOString() };
      try {
        const r = await s.store.transact(`status ${s.id}`, statusPlan(status), { actor: s.id });
        if (r.status === 'committed') landed++;
      } catch {
        failures++;
      }
      slot = Math.max(slot + 1, Math.ceil((Date.now() - slotOf(s.index, PERIOD_MS)) / PERIOD_MS));
    }
  });
  const sampler = (async () => {
    while (Date.now() - started < DIRECT_DURATION_MS) {
      await sleep(PERIOD_MS);
      samples.push(...(await freshness(up.bareDir, Date.now())).ages);
    }
  })();
  await Promise.all([...loops, sampler]);
  const end = Date.now();
  for (const s of stores) await s.store.close();
  const result = {
    pushesPerMin: perMinute(up.proxy.pushes, started, end),
    readsPerSec: perMinute(up.proxy.reads, started, end) / 60,
    p95: percentile(samples, 95),
    landed,
    failures,
  };
  await up.proxy.close();
  await up.server.stop();
  return result;
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gitfleet-scale-'));
try {
  console.log(`# bench:scale on ${machineInfo()}`);
  console.log(
    `${N} servers, ${PERIOD_MS / 1000} s heartbeat; ${RELAYS} relays folding every ${RELAY_EVERY_MS / 1000} s for ${DURATION_MS / 1000} s (relay 0 stopped at 50% and restarted two relay periods later, upstream down ${OUTAGE_MS / 1000} s at 70%)`,
  );
  const relayed = await withRelays(path.join(root, 'relayed'));
  console.log(relayed.events.map((e) => `- ${e}`).join('\n'));
  const rows: (string | number)[][] = [
    [
      `${N} servers behind ${RELAYS} relays`,
      relayed.pushesPerMin.toFixed(1),
      relayed.readsPerSec.toFixed(2),
      relayed.p95.toFixed(2),
      relayed.p95Clean.toFixed(2),
      `${relayed.lost} of ${N} servers' last heartbeat (${relayed.heartbeats} heartbeats taken by relays, ${relayed.writerPushFailures} site pushes refused while a relay was down)`,
    ],
  ];
  if (!args['skip-direct']) {
    const d = await direct(path.join(root, 'direct'));
    rows.push([
      `${DIRECT_N} servers direct (${DIRECT_DURATION_MS / 1000} s)`,
      d.pushesPerMin.toFixed(1),
      d.readsPerSec.toFixed(2),
      d.p95.toFixed(2),
      '—',
      `${d.failures} heartbeats gave up (${d.landed} landed)`,
    ]);
  }
  console.log(table(['setup', 'upstream pushes/min', 'upstream git reads/s', 'freshness p95 (periods)', 'p95 steady (periods)', 'lost'], rows));
} finally {
  await fs.rm(root, { recursive: true, force: true });
}
