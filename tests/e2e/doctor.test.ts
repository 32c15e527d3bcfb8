import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import { backendCacheDir, damageCache } from '../helpers/damageCache.js';
import { seededRandom } from '../helpers/seededRandom.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { runGitfleet, type CliRun } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const TOKEN = 'doctor-token-7f3a9c';
const AUTH = { username: 'x-access-token', password: TOKEN };

interface Check {
  id: string;
  status: 'ok' | 'warn' | 'fail';
  message: string;
  fix: string | null;
}

/** The text line of one check in doctor's output. */
function lineOf(run: CliRun, id: string): string {
  const line = run.stdout.split('\n').find((l) => new RegExp(`^\\S+\\s+${id.replace('.', '\\.')}\\s`).test(l));
  if (!line) throw new Error(`no ${id} line in:\n${run.stdout}\n${run.stderr}`);
  return line;
}

describe.each(['cli', 'js'] as const)('gitfleet doctor (%s backend)', (backend) => {
  let remote: FleetRemote;
  let readOnly: GitHttpServer;
  let cacheRoot: string;
  let dataDir: string;
  const env = (token = TOKEN): Record<string, string> => ({
    GITFLEET_TOKEN: token,
    GITFLEET_BACKEND: backend,
    GITFLEET_CACHE_DIR: cacheRoot,
    GITFLEET_DATA_DIR: dataDir,
    GITFLEET_OPERATOR: 'tester',
  });
  const doctor = (repo: string, token?: string, extra: string[] = []) =>
    runGitfleet(['doctor', '--repo', repo, ...extra], { env: env(token), timeoutMs: 120_000 });

  beforeAll(async () => {
    remote = await startFleetRemote({ auth: AUTH });
    // The same repository behind a server that serves fetches but refuses every push:
    // a read-only token, as a hosted server treats one.
    readOnly = await new GitHttpServer({ projectRoot: path.dirname(remote.bareDir), auth: AUTH, readOnly: true }).start();
    cacheRoot = tempDir('gitfleet-doctor-cache-');
    dataDir = tempDir('gitfleet-doctor-data-');
  });

  afterAll(async () => {
    await readOnly.stop();
    await remote.close();
    cleanupTempDirs();
  });

  it('fails on a missing branch and suggests gitfleet init (exit 6)', async () => {
    const run = await doctor(remote.httpUrl);
    expect(run.code, run.stdout + run.stderr).toBe(6);
    expect(lineOf(run, 'remote.read')).toMatch(/^FAIL .*no branch "main".*fix: run `gitfleet init`/);
    // Push rights can still be proven on an empty repository.
    expect(lineOf(run, 'remote.push')).toMatch(/^ok /);
  });

  it('passes on a healthy setup, in text and in JSON, and never prints the token', async () => {
    const init = await runGitfleet(['init', '--repo', remote.httpUrl, '--name', 'doc'], { env: env() });
    expect(init.code, init.stderr).toBe(0);
    const run = await doctor(remote.httpUrl);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const id of ['node', 'git', 'cache', 'remote.url', 'remote.read', 'remote.push', 'clock', 'fleet.json', 'heartbeat', 'budget', 'scheduler']) {
      expect(lineOf(run, id)).toMatch(/^ok /);
    }
    expect(lineOf(run, 'clock')).toMatch(/Date header/);
    expect(run.stdout).toMatch(/all 11 checks passed/);
    const json = await doctor(remote.httpUrl, undefined, ['--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { ok: boolean; exitCode: number; checks: Check[] };
    expect(report).toMatchObject({ ok: true, exitCode: 0 });
    expect(report.checks.map((c) => c.status)).toEqual(Array(11).fill('ok'));
    expect(run.stdout + run.stderr + json.stdout + json.stderr).not.toContain(TOKEN);
  });

  it('fails on a wrong token with the read line and its fix (exit 4)', async () => {
    const run = await doctor(remote.httpUrl, 'wrong-token');
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(lineOf(run, 'remote.read')).toMatch(/^FAIL .*refused the credentials.*fix: .*GITFLEET_TOKEN/);
    expect(run.stdout).not.toContain('wrong-token');
  });

  it('fails on a read-only token at the push line, having changed no ref (exit 4)', async () => {
    const before = remote.head();
    const refs = await runGitfleet(['doctor', '--repo', `${readOnly.url}/fleet.git`, '--json'], { env: env() });
    expect(refs.code, refs.stdout + refs.stderr).toBe(4);
    const report = JSON.parse(refs.stdout) as { ok: boolean; checks: Check[] };
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    expect(byId.get('remote.read')?.status).toBe('ok');
    expect(byId.get('remote.push')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/push refused/),
      fix: expect.stringMatching(/write access/),
    });
    const text = await runGitfleet(['doctor', '--repo', `${readOnly.url}/fleet.git`], { env: env() });
    expect(lineOf(text, 'remote.push')).toMatch(/^FAIL .*push refused.*fix: give the token write access/);
    expect(remote.head()).toBe(before);
  });

  it('fails on an unreachable remote (exit 5)', async () => {
    const stopped = await new GitHttpServer({ projectRoot: path.dirname(remote.bareDir) }).start();
    const url = `${stopped.url}/fleet.git`;
    await stopped.stop();
    const run = await doctor(url);
    expect(run.code, run.stdout + run.stderr).toBe(5);
    expect(lineOf(run, 'remote.read')).toMatch(/^FAIL .*cannot reach.*fix: /);
  });

  it('fails on a damaged cache and says to delete it (exit 10)', async () => {
    // A cache root of its own: the other tests left caches of other URLs behind.
    cacheRoot = tempDir('gitfleet-doctor-damaged-');
    expect((await doctor(remote.httpUrl)).code).toBe(0);
    const cacheDir = await backendCacheDir(cacheRoot, backend);
    const damage = await damageCache(cacheDir, seededRandom(7), 0.6);
    expect(damage.removedLoose.length + damage.corruptedPacks.length).toBeGreaterThan(0);
    const run = await doctor(remote.httpUrl);
    expect(run.code, run.stdout + run.stderr).toBe(10);
    expect(lineOf(run, 'cache')).toMatch(/^FAIL .*damaged.*fix: .*rm -rf /);
    expect(lineOf(run, 'cache')).toContain(cacheDir);
  });
});

describe('gitfleet doctor without a repository', () => {
  it('still checks this machine, and fails the URL line with its fix (exit 2)', async () => {
    const run = await runGitfleet(['doctor', '--data-dir', tempDir('gitfleet-doctor-norepo-')]);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(lineOf(run, 'node')).toMatch(/^ok /);
    expect(lineOf(run, 'remote.url')).toMatch(/^FAIL .*no fleet repository given.*fix: pass --repo/);
    expect(lineOf(run, 'scheduler')).toMatch(/^ok /);
    cleanupTempDirs();
  });
});

describe('gitfleet completion', () => {
  it('prints a bash script for gitfleet, and a zsh one when asked', async () => {
    const bash = await runGitfleet(['completion'], { env: { SHELL: '/bin/bash' } });
    expect(bash.code, bash.stderr).toBe(0);
    expect(bash.stdout).toMatch(/complete -o bashdefault -o default -F _gitfleet_yargs_completions gitfleet/);
    expect(bash.stdout).toContain('gitfleet --get-yargs-completions');
    const zsh = await runGitfleet(['completion', 'zsh']);
    expect(zsh.code, zsh.stderr).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef gitfleet/);
  });

  it('completes the top-level commands for an empty word', async () => {
    const run = await runGitfleet(['--get-yargs-completions', 'gitfleet', '']);
    expect(run.code, run.stderr).toBe(0);
    const words = run.stdout.split('\n').filter(Boolean);
    expect(words).toEqual(expect.arrayContaining(['status', 'msg', 'job', 'agent', 'doctor', 'completion']));
    const sub = await runGitfleet(['--get-yargs-completions', 'gitfleet', 'job', '']);
    expect(sub.stdout.split('\n')).toEqual(expect.arrayContaining(['submit', 'list']));
  });
});
