import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/bench/repoRoot.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { type GitWrapper, gitWrapper } from '../helpers/gitWrapper.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

// The installed launcher (dist/gitfleet.cjs) runs `status` from two bundles: one starts the
// fetch, the other (the CLI, compiled through V8's code cache) must take that fetch as its
// own. A split between the two would fetch twice; a cache must be written once and then
// used, and a failed run must leave none.
describe('status through the installed launcher', () => {
  let remote: FleetRemote;
  let git: GitWrapper;
  let work: string;
  let codeCache: string;
  const fleet = () => ['--repo', remote.httpUrl, '--cache-dir', path.join(work, 'cache'), '--data-dir', path.join(work, 'data')];
  const gf = (args: string[], env: Record<string, string> = {}) => runGitfleet(args, { env: { PATH: git.path, GITFLEET_CODE_CACHE: codeCache, ...env } });
  const fetches = () => git.calls().filter((c) => c.startsWith('fetch ')).length;

  beforeAll(async () => {
    remote = await startFleetRemote();
    work = tempDir('gitfleet-status-startup-');
    codeCache = path.join(work, 'code');
    git = gitWrapper();
    expect((await gf(['init', ...fleet()])).code).toBe(0);
    for (const server of ['web-1', 'web-2']) {
      const agent = await gf(['agent', '--once', '--now', '--simulate', '--server', server, ...fleet()]);
      expect(agent.stderr).toBe('');
    }
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('fetches once per run, writes each bundle’s code cache once, and uses it after', async () => {
    const first = await gf(['status', ...fleet()]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/web-1[\s\S]*web-2/);
    const cached = () =>
      readdirSync(codeCache)
        .filter((f) => f.startsWith('cli-status-') || f.startsWith('statusFetch-status-'))
        .sort();
    expect(cached().map((f) => f.split('-').slice(0, 2).join('-'))).toEqual(['cli-status', 'statusFetch-status']);
    const inodes = () => cached().map((f) => statSync(path.join(codeCache, f)).ino);
    const written = inodes();

    for (let run = 0; run < 2; run++) {
      const before = fetches();
      const again = await gf(['status', ...fleet()]);
      expect(again.code).toBe(0);
      expect(again.stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(first.stdout.split('\n').map((l) => l.split(/\s+/)[0]));
      // The early fetch, started from statusFetch.cjs, is the one the CLI's store took.
      expect(fetches() - before).toBe(1);
    }
    // Read, not rewritten: a cache refused or rejected would have been replaced by a new file.
    expect(inodes()).toEqual(written);
    // What the run shows is the remote's head after its fetch, not what the cache held
    // before (which the command reads while it fetches): the agent writes through a cache
    // of its own (src/store/snapshotBeforeFetch.test.ts holds the fetch open to be sure).
    const elsewhere = ['--repo', remote.httpUrl, '--cache-dir', path.join(work, 'agent-cache'), '--data-dir', path.join(work, 'agent-data')];
    expect((await gf(['agent', '--once', '--now', '--simulate', '--server', 'web-1', ...elsewhere])).code).toBe(0);
    const remoteWeb1 = JSON.parse(execFileSync('git', ['--git-dir', remote.bareDir, 'show', 'main:status/web-1.json']).toString()) as { updatedAt: string };
    const rows = JSON.parse((await gf(['status', '--json', ...fleet()])).stdout) as { server: string; updatedAt: string }[];
    expect(rows.find((r) => r.server === 'web-1')?.updatedAt).toBe(remoteWeb1.updatedAt);
  });

  it('keeps no cache of a run that failed, and reports a bad --repo as the command does, not as a broken install', async () => {
    const typo = await gf(['statsu', ...fleet()]);
    expect(typo.code).not.toBe(0);
    const bad = await gf(['status', '--repo', 'ftp://example.invalid/fleet.git', '--cache-dir', path.join(work, 'cache-bad')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(/reinstall/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(
      readdirSync(codeCache).filter(
        (f) => !f.startsWith('cli-status-') && !f.startsWith('statusFetch-status-') && !f.startsWith('cli-init-') && !f.startsWith('cli-agent-'),
      ),
    ).toEqual([]);
  });

  it('with GITFLEET_CODE_CACHE=0 writes no cache anywhere and prints the same', async () => {
    const xdg = path.join(work, 'xdg');
    const off = await gf(['status', '--json', ...fleet()], { GITFLEET_CODE_CACHE: '0', XDG_CACHE_HOME: xdg });
    expect(off.code).toBe(0);
    expect((JSON.parse(off.stdout) as { server: string }[]).map((r) => r.server)).toEqual(['web-1', 'web-2']);
    expect(existsSync(xdg)).toBe(false);
  });

  it('still runs when the fetch bundle is missing: the head start is optional', async () => {
    const copy = tempDir('gitfleet-launcher-copy-');
    cpSync(path.join(repoRoot(), 'dist'), path.join(copy, 'dist'), { recursive: true });
    symlinkSync(path.join(repoRoot(), 'node_modules'), path.join(copy, 'node_modules'));
    rmSync(path.join(copy, 'dist', 'statusFetch.cjs'));
    const { execFile } = await import('node:child_process');
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [path.join(copy, 'dist', 'gitfleet.cjs'), 'status', '--json', ...fleet()],
        { env: { PATH: git.path, HOME: work, GITFLEET_CODE_CACHE: path.join(copy, 'code') } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { server: string }[]).map((r) => r.server)).toEqual(['web-1', 'web-2']);
  });
});
