import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetSettings, Job } from '../../src/schema/types.js';
import { FAST_FLEET, JobFleet, waitFor } from '../helpers/jobFleet.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');

/** The fleet under test: FAST_FLEET's heartbeat (dead after 25 s of silence), one webhook for dead servers. */
const SETTINGS: Partial<FleetSettings> = { ...FAST_FLEET, webhooks: [{ id: 'ops', format: 'generic', events: ['server.dead'] }] };
const HB = SETTINGS.heartbeat!;
const DEAD_MS = HB.deadAfterPeriods! * HB.periodSeconds! * 1000;
const TICK_MS = SETTINGS.coordinator!.tickSeconds! * 1000;
/** The shortest window the command takes; it must outlast the dead window, or there is nothing to hold. */
const WINDOW = '1m';
const WINDOW_MS = 60_000;

/** Counts the notifications the coordinator posts, with the time each arrived. */
function startReceiver(): Promise<{ server: http.Server; received: { at: number; body: string }[]; url: string }> {
  const received: { at: number; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ at: Date.now(), body });
      res.writeHead(200).end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` })),
  );
}

describe('a maintenance window: no failover and no notification during it, failover after it', () => {
  let fleet: JobFleet;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let coordinator: ChildProcess;
  const coordinatorLog: string[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    fleet = await JobFleet.start(SETTINGS);
    receiver = await startReceiver();
    const work = tempDir('gitfleet-maint-');
    const config = path.join(work, 'coordinator.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        repo: fleet.remote.httpUrl,
        cacheDir: path.join(work, 'cache'),
        dataDir: path.join(work, 'data'),
        log: { level: 'debug' },
        notify: { webhooks: { ops: { url: receiver.url } }, allowPrivateNetworks: true },
      }),
    );
    env = { GITFLEET_REPO: fleet.remote.httpUrl, GITFLEET_CACHE_DIR: path.join(work, 'cli-cache'), GITFLEET_DATA_DIR: path.join(work, 'cli-data') };
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GITFLEET_')) clean[k] = v;
    coordinator = spawn(process.execPath, [BIN, 'coordinator', '--name', 'coord-1'], {
      env: { ...clean, GITFLEET_CONFIG: config },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    coordinator.stderr!.on('data', (d: Buffer) => coordinatorLog.push(...d.toString().trim().split('\n')));
  }, 60_000);

  afterAll(async () => {
    coordinator?.kill('SIGKILL');
    receiver?.server.close();
    await fleet?.close();
    cleanupTempDirs();
  });

  const job = async (id: string): Promise<Job | undefined> => (await fleet.jobs()).find((j) => j.id === id);

  it('holds the killed server’s job through the window, silences its death, then fails the job over', async () => {
    fleet.startAgent('w1', { slots: 1 });
    const submitted = await fleet.submit({ kind: 'work', params: { seconds: '600' } });
    expect(await waitFor(async () => (await job(submitted.id))?.state === 'running', 120_000)).toBe(true);

    const started = await runGitfleet(['maintenance', 'w1', '--for', WINDOW, '--reason', 'disk swap', '--json'], { env });
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    const window = JSON.parse(started.stdout).window as { start: string; end: string };
    const windowEnd = Date.parse(window.end);
    expect(windowEnd - Date.parse(window.start)).toBe(WINDOW_MS);

    await fleet.kill('w1');
    const killedAt = Date.now();
    // The last heartbeat is at most now: the server is dead to the coordinator by killedAt + DEAD_MS.
    expect(killedAt + DEAD_MS + 5 * TICK_MS).toBeLessThan(windowEnd);

    const status = await runGitfleet(['status'], { env });
    expect(status.stdout).toMatch(/w1\s+maintenance/);
    expect(status.stdout).toMatch(/in maintenance until .*: disk swap/);

    // Silent past the dead window, and several ticks more, all inside the window: still held, nothing posted.
    const held = await waitFor(
      async () => {
        const j = await job(submitted.id);
        expect(j?.state).toBe('running');
        expect(j?.assignment?.server).toBe('w1');
        expect(receiver.received).toEqual([]);
        return Date.now() > killedAt + DEAD_MS + 5 * TICK_MS;
      },
      DEAD_MS + 10 * TICK_MS + 30_000,
    );
    expect(held).toBe(true);
    const during = await runGitfleet(['status', '--json'], { env });
    const row = (JSON.parse(during.stdout) as { server: string; health: string; maintenanceUntil: string }[]).find((r) => r.server === 'w1');
    expect(row).toMatchObject({ health: 'maintenance', maintenanceUntil: new Date(windowEnd).toISOString() });

    // The window ends by itself; the server is still silent: its job goes back to the queue, and its death is announced.
    const lost = await waitFor(async () => ((await job(submitted.id))?.lostLeases ?? 0) >= 1, windowEnd - Date.now() + DEAD_MS + 30_000);
    if (!lost) console.error(coordinatorLog.slice(-40).join('\n'));
    expect(lost).toBe(true);
    const after = (await job(submitted.id))!;
    const lostAt = after.history?.find((h) => h.outcome === 'lost');
    expect(lostAt?.server).toBe('w1');
    expect(Date.parse(lostAt!.endedAt ?? '')).toBeGreaterThanOrEqual(windowEnd);
    expect(await waitFor(() => receiver.received.length > 0, DEAD_MS + 30_000)).toBe(true);
    expect(receiver.received[0]!.at).toBeGreaterThanOrEqual(windowEnd);
    expect(receiver.received[0]!.body).toMatch(/w1/);
  }, 300_000);

  it('lists windows, ends one early, and refuses what it cannot mean', async () => {
    const run = (...args: string[]) => runGitfleet(args, { env });
    const started = await run('maintenance', 'all', '--for', '5m', '--reason', 'rack move');
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/^all: in maintenance for 5m, until \d{4}-\d\d-\d\d \d\d:\d\d UTC: rack move\n$/);
    const open = JSON.parse((await run('maintenance', '--json')).stdout) as { target: string; state: string; reason: string }[];
    expect(open.find((w) => w.target === 'all')).toMatchObject({ state: 'open', reason: 'rack move' });
    expect((await run('maintenance')).stdout).toMatch(/all\s+open\b/);
    const ended = await run('maintenance', 'all', '--end');
    expect(ended.code, ended.stderr).toBe(0);
    const after = JSON.parse((await run('maintenance', '--json')).stdout) as { target: string; state: string }[];
    expect(after.filter((w) => w.target === 'all').map((w) => w.state)).toEqual(['ended']);
    // Nothing open any more: --end says so (exit 6, not found).
    const again = await run('maintenance', 'all', '--end');
    expect(again.code).toBe(6);
    expect(again.stderr).toMatch(/no one-off maintenance window of all is open now/);
    for (const bad of [['Bad!', '--for', '1h'], ['w1'], ['w1', '--for', '8d'], ['w1', '--for', '1h', '--end'], ['--for', '1h']]) {
      const out = await run('maintenance', ...bad);
      expect(out.code, bad.join(' ')).toBe(2);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 120_000);
});
