import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerStatus } from '../../src/schema/types.js';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

/** `gitfleet budget`: the projection of the fleet as the repository holds it, with real processes. */
describe('gitfleet budget', () => {
  let remote: FleetRemote;
  let env: Record<string, string>;
  const run = (args: string[]) => runGitfleet(args, { env });
  const status = (server: string, periodSeconds: number): ServerStatus => ({
    schemaVersion: 1,
    server,
    updatedAt: new Date().toISOString(),
    seq: 1,
    health: { state: 'healthy' },
    heartbeat: { periodSeconds },
  });
  const statuses = (prefix: string, n: number, period: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`status/${prefix}-${i}.json`, JSON.stringify(status(`${prefix}-${i}`, period))]));

  beforeAll(async () => {
    remote = await startFleetRemote();
    const work = tempDir();
    env = { GITFLEET_REPO: remote.httpUrl, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data') };
    expect((await run(['init'])).code).toBe(0);
    // GitHub's limits on a loopback remote; 3 servers every 2 minutes: 1.5 pushes/min plus an idle
    // coordinator's 1.5, plus what the last hour measured: init's commit (jobs/ and messages/), 1/60 each.
    const fleet = { schemaVersion: 1, host: { pushesPerMinute: 6, readsPerSecond: 15 }, pushBudget: { pushesPerMinute: 6 } };
    plantFiles(remote.bareDir, { 'fleet.json': JSON.stringify(fleet), ...statuses('web', 3, 120) });
  }, 60_000);
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('prints each writer and the total; --check passes within the limits', async () => {
    const out = await run(['budget', '--check']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toMatch(/^WRITER\s+PUSHES\/MIN\s+READS\/S\s+BASIS/);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(expect.arrayContaining(['heartbeats', 'coordinator', 'jobs', 'messages']));
    expect(out.stdout).toContain('total: 3.04 pushes/min (budget 6, host 6)');
    expect(out.stdout).toContain('for 3 servers: within the limits');
    expect(out.stderr).toBe('');
  }, 60_000);

  it('--json has the stable shape; a grown fleet is over the limit and --check exits 2 with the reason', async () => {
    plantFiles(remote.bareDir, statuses('db', 10, 60));
    const json = await run(['budget', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const b = JSON.parse(json.stdout);
    expect(b).toMatchObject({ servers: 13, pushesPerMinute: 13.04, budget: 6, host: { pushesPerMinute: 6, readsPerSecond: 15 }, state: 'over' });
    expect(b.lines.map((l: { writer: string }) => l.writer)).toEqual(['heartbeats', 'coordinator', 'jobs', 'messages']);
    expect(b.problems[0]).toContain("projected 13.04 pushes/min is over the host's 6/min");
    expect(typeof b.measuredPushesPerMinute).toBe('number');
    const check = await run(['budget', '--check']);
    expect(check.code).toBe(2);
    expect(check.stdout).toContain('OVER a limit');
    expect(check.stderr).toContain('gitfleet: warning: projected 13.04 pushes/min');
  }, 60_000);

  it('fleet.json relays fold their servers into one push a relay period', async () => {
    const fleet = { schemaVersion: 1, host: { pushesPerMinute: 6, readsPerSecond: 15 }, relays: { count: 2, periodSeconds: 60 } };
    plantFiles(remote.bareDir, { 'fleet.json': JSON.stringify(fleet) });
    const out = await run(['budget', '--json', '--check']);
    expect(out.code, out.stderr).toBe(0);
    const b = JSON.parse(out.stdout);
    expect(b.lines.find((l: { writer: string }) => l.writer === 'relays')).toMatchObject({ pushesPerMinute: 2 });
    expect(b.lines[0]).toMatchObject({ writer: 'heartbeats', pushesPerMinute: 0 });
    expect(b.state).toBe('ok');
  }, 60_000);
});
