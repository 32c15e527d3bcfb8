import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/schema/types.js';
import { waitFor } from '../helpers/jobFleet.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');

// What `npm start` runs: the embedded fleet with simulated agents, the coordinator and demo jobs.
describe('gitfleet start (npm start)', () => {
  afterAll(() => cleanupTempDirs());

  it('serves a fleet whose simulated agents report, whose coordinator assigns demo jobs that succeed, and stops cleanly', async () => {
    const dir = tempDir('gitfleet-local-');
    const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--dashboard-port', '0', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      expect(await waitFor(() => /fleet repository\s+(http:\S+)/.test(out), 30_000, 200)).toBe(true);
      const repo = /fleet repository\s+(http:\S+)/.exec(out)![1]!;
      const cli = (args: string[]) => runGitfleet([...args, '--repo', repo, '--cache-dir', path.join(dir, 'test-cache'), '--json']);
      const succeeded = async () => {
        const run = await cli(['job', 'list', '--state', 'succeeded']);
        return run.code === 0 && (JSON.parse(run.stdout) as Job[]).some((j) => j.kind === 'demo.build');
      };
      expect(await waitFor(succeeded, 150_000, 2_000), out).toBe(true);
      const status = JSON.parse((await cli(['status'])).stdout) as { server: string }[] | { rows: { server: string }[] };
      expect(JSON.stringify(status)).toContain('build-01');
      const validate = await cli(['validate']);
      expect(validate.code, validate.stdout).toBe(0);
      // The dashboard of the same fleet, with its live data.
      const dashboard = /dashboard: (http:\S+)/.exec(out)?.[1];
      expect(dashboard, out).toBeDefined();
      const page = await fetch(dashboard!);
      expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const site = (await (await fetch(new URL('snapshot.json', dashboard))).json()) as { files: Record<string, string> };
      expect(Object.keys(site.files)).toContain('status/build-01.json');
      const config = (await (await fetch(new URL('dashboard.json', dashboard))).json()) as { live: { type: string } };
      expect(config.live.type).toBe('serve');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('start --fresh');
    expect(out).toMatch(/stopping\.\.\. \(at most 10 s\)\n[\s\S]*stopped/);
    expect(out).not.toMatch(/MaxListenersExceeded|Error:/);
  }, 240_000);

  it('--fresh starts over in its own data folder and refuses to delete anything else', async () => {
    const dir = tempDir('gitfleet-local-');
    const once = (extra: string[]) =>
      runGitfleet(['start', '--once', '--agents', '0', '--port', '0', '--dashboard-port', '0', '--dir', dir, ...extra], { timeoutMs: 120_000 });
    expect((await once([])).code).toBe(0);
    writeFileSync(path.join(dir, 'left-over'), 'x');
    const fresh = await once(['--fresh']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'left-over'))).toBe(false);
    expect(existsSync(path.join(dir, 'remote', 'fleet.git', 'HEAD'))).toBe(true);
    const foreign = tempDir('gitfleet-foreign-');
    writeFileSync(path.join(foreign, 'precious'), 'keep me');
    const refused = await runGitfleet(['start', '--once', '--fresh', '--agents', '0', '--port', '0', '--dashboard-port', '0', '--dir', foreign]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not the data folder of a local fleet/);
    expect(readFileSync(path.join(foreign, 'precious'), 'utf8')).toBe('keep me');
  }, 240_000);
});
