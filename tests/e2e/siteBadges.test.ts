import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { validateShieldsEndpoint } from '../helpers/shieldsEndpointSchema.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();

describe('gitfleet site writes Shields.io endpoint badges', () => {
  let remote: FleetRemote;
  let work: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    remote = await startFleetRemote();
    work = tempDir();
    env = { GITFLEET_REPO: remote.httpUrl, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data'), GITHUB_REPOSITORY: '' };
    expect((await runGitfleet(['init'], { env })).code).toBe(0);
    const agent = await runGitfleet(['agent', '--once', '--now', '--simulate', '--server', 'real-01'], {
      env: { ...env, GITFLEET_DATA_DIR: path.join(work, 'real-01') },
    });
    expect(agent.code, agent.stderr).toBe(0);
    plantFiles(remote.bareDir, {
      'status/web-02.json': JSON.stringify({
        schemaVersion: 1,
        server: 'web-02',
        updatedAt: ago(3 * 86_400),
        seq: 9,
        health: { state: 'healthy' },
        availability: { pct24h: 0, pct7d: 57.14 },
      }),
      'status/web-03.json': '{ "not": "a status" }',
      // An agent too old to keep the daily history, reporting now: its own 7-day figure is shown.
      'status/web-04.json': JSON.stringify({
        schemaVersion: 1,
        server: 'web-04',
        updatedAt: new Date().toISOString(),
        seq: 3,
        health: { state: 'healthy' },
        availability: { pct24h: 100, pct7d: 99.5 },
      }),
    });
  }, 60_000);
  afterAll(async () => {
    await remote?.close();
    cleanupTempDirs();
  });

  it('writes valid endpoint JSON for the fleet and for each server (health and uptime)', async () => {
    const out = path.join(work, 'site');
    const run = await runGitfleet(['site', '--out', out], { env });
    expect(run.code, run.stderr).toBe(0);
    const dir = path.join(out, 'badges');
    const files = ['fleet.json', ...readdirSync(path.join(dir, 'servers')).map((f) => `servers/${f}`)].sort();
    expect(files).toEqual([
      'fleet.json',
      'servers/real-01.json',
      'servers/real-01.uptime.json',
      'servers/web-02.json',
      'servers/web-02.uptime.json',
      'servers/web-03.json',
      'servers/web-03.uptime.json',
      'servers/web-04.json',
      'servers/web-04.uptime.json',
    ]);
    const badge = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    for (const file of files) expect(validateShieldsEndpoint(badge(file)), `${file}: ${JSON.stringify(validateShieldsEndpoint.errors)}`).toBe(true);
    // The simulated agent is healthy or degraded by its figures: never offline, a second after reporting.
    expect(badge('servers/real-01.json').message).not.toBe('offline');
    const healthy = badge('servers/real-01.json').message === 'healthy' ? 1 : 0;
    expect(badge('fleet.json')).toMatchObject({ schemaVersion: 1, label: 'fleet', message: `${healthy + 1}/4 healthy`, cacheSeconds: 300 });
    expect(badge('servers/web-02.json')).toMatchObject({ label: 'web-02', message: 'offline', color: 'red' });
    // Three days silent and no daily history: readers count the silence as down.
    expect(badge('servers/web-02.uptime.json')).toMatchObject({ label: 'web-02 uptime 30d', message: '0%', color: 'red' });
    expect(badge('servers/web-04.uptime.json')).toMatchObject({ label: 'web-04 uptime 7d', message: '99.5%' });
    expect(badge('servers/web-03.json')).toMatchObject({ message: 'invalid', color: 'lightgrey' });
    expect(badge('servers/web-03.uptime.json')).toMatchObject({ message: 'unknown' });
  });
});
