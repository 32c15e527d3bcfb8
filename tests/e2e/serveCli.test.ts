import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import type { SiteSnapshot } from '../../src/site/buildSiteSnapshot.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { waitFor } from '../helpers/jobFleet.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');

describe('gitfleet serve', () => {
  let remote: FleetRemote;
  beforeAll(async () => {
    remote = await startFleetRemote();
    const store = openStore({ url: remote.httpUrl });
    await store.transact('init', initFleetPlan({ name: 'served' }), { createBranch: true });
    await store.close();
  }, 30_000);
  afterAll(async () => {
    await remote?.close();
    cleanupTempDirs();
  });

  it('refuses a bad port, host or poll period: exit 2, one line', async () => {
    const cases = [
      ['--port', '70000'],
      ['--port', 'abc'],
      ['--host', 'not a host!'],
      ['--poll', '10ms'],
    ];
    const runs = await Promise.all(cases.map((flags) => runGitfleet(['serve', ...flags])));
    runs.forEach((run, i) => {
      const flags = cases[i]!;
      expect(run.code, flags.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), flags.join(' ')).toHaveLength(1);
      expect(run.stderr).toContain(flags[0]);
    });
  });

  it('says in one line when the port is taken', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const run = await runGitfleet(['serve', '--port', String(port), '--repo', remote.httpUrl, '--cache-dir', path.join(tempDir(), 'cache')]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('prints the URL, serves the fleet there, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--port', '0', '--repo', remote.httpUrl, '--cache-dir', path.join(tempDir(), 'cache'), '--title', 'Served'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      expect(await waitFor(() => /dashboard: (http:\S+)/.test(out), 20_000, 50), out).toBe(true);
      const url = /dashboard: (http:\S+)/.exec(out)![1]!;
      const config = (await (await fetch(new URL('dashboard.json', url))).json()) as { title?: string };
      expect(config.title).toBe('Served');
      const site = (await (await fetch(new URL('snapshot.json', url))).json()) as SiteSnapshot;
      expect(site.commit).toBe(remote.head());
      expect((await fetch(url)).headers.get('content-type')).toBe('text/html; charset=utf-8');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('stopped');
  }, 30_000);
});
