import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetRemote, headOf, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const TOKEN = 'glpat-PlantedCliToken0123456789';

describe('gitfleet CLI', () => {
  let remote: FleetRemote;
  let cacheDir: string;
  const env = () => ({ GITFLEET_CACHE_DIR: cacheDir, GITFLEET_DATA_DIR: path.join(cacheDir, 'data'), GITFLEET_TOKEN: TOKEN });

  beforeAll(async () => {
    remote = await startFleetRemote({ auth: { username: 'x-access-token', password: TOKEN } });
    cacheDir = tempDir();
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('init, validate and log against an https-style remote with a token', { timeout: 180_000 }, async () => {
    const init = await runGitfleet(['init', '--repo', remote.httpUrl, '--name', 'ci'], { env: env() });
    expect(init).toMatchObject({ code: 0, stderr: '' });
    expect(init.stdout).toMatch(/initialised .* wrote fleet\.json/);
    const again = await runGitfleet(['init', '--repo', remote.httpUrl], { env: env() });
    expect(again.stdout).toMatch(/already a fleet repository/);
    const validate = await runGitfleet(['validate', '--repo', remote.httpUrl, '--json'], { env: env() });
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true, errors: [], counts: { fleet: 1, status: 0 } });
    const log = await runGitfleet(['log', '--repo', remote.httpUrl, '--json', '--path', 'fleet.json'], { env: env() });
    const entries = JSON.parse(log.stdout) as { actor: string; summary: string }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ summary: 'init fleet repository' });
    expect(entries[0]!.actor).toMatch(/^op:/);
    for (const out of [init, again, validate, log]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
  });

  it('log filters by actor, path and time', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const repo = path.join(dir, 'fleet.git');
    await runGitfleet(['init', '--repo', repo, '--create'], { env: { ...env(), GITFLEET_OPERATOR: 'alice' } });
    plantFiles(repo, {
      'status/web-01.json': JSON.stringify({ schemaVersion: 1, server: 'web-01', updatedAt: '2026-11-22T00:00:00Z', seq: 1, health: { state: 'healthy' } }),
    });
    const byAlice = JSON.parse((await runGitfleet(['log', '--repo', repo, '--by', 'op:alice', '--json'], { env: env() })).stdout) as unknown[];
    expect(byAlice).toHaveLength(1);
    const byPath = JSON.parse((await runGitfleet(['log', '--repo', repo, '--path', 'status/web-01.json', '--json'], { env: env() })).stdout) as {
      files: { path: string }[];
    }[];
    expect(byPath.map((e) => e.files.map((f) => f.path))).toEqual([['status/web-01.json']]);
    const future = await runGitfleet(['log', '--repo', repo, '--since', '2099-01-01'], { env: env() });
    expect(future.stdout.trim()).toBe('no changes match');
    const table = await runGitfleet(['log', '--repo', repo], { env: env() });
    expect(table.stdout.split('\n')[0]).toMatch(/^TIME\s+COMMIT\s+BY\s+FILES\s+CHANGE$/);
  });

  it('validate exits 3 and lists hostile files with their reasons', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const repo = path.join(dir, 'fleet.git');
    await runGitfleet(['init', '--repo', repo, '--create'], { env: env() });
    plantFiles(repo, {
      'status/bad.json': '{"oops"',
      'jobs/j1.json': JSON.stringify({ schemaVersion: 1, id: 'other' }),
      'status/esc.json': JSON.stringify({ schemaVersion: 1, server: 'esc', updatedAt: '\u001b[31mred', seq: 1, health: { state: 'healthy' } }),
    });
    const out = await runGitfleet(['validate', '--repo', repo], { env: env() });
    expect(out.code).toBe(3);
    expect(out.stdout).toMatch(/invalid {2}status\/bad\.json: invalid JSON/);
    expect(out.stdout).toMatch(/invalid {2}jobs\/j1\.json: /);
    expect(out.stdout).toMatch(/3 invalid/);
    expect(out.stdout).not.toContain('\u001b');
  });

  it.each([
    [['validate', '--frobnicate'], 2, /^gitfleet: unknown option --frobnicate; see gitfleet validate --help$/m],
    [['frobnicate'], 2, /^gitfleet: unknown command "frobnicate"; see gitfleet --help$/m],
    [['validate', '--server', '../x'], 2, /server: must be a DNS label/],
    [['validate', '--server', 'A B'], 2, /server: must be a DNS label/],
    [['validate', '--server', 'x'.repeat(70)], 2, /server/],
    [['validate'], 2, /no fleet repository given/],
    [['log', '--repo', '/nonexistent/fleet.git'], 5, /cannot reach|does not appear/],
    [['log', '--limit', '0', '--repo', 'x'], 2, /--limit must be/],
  ])('gitfleet %j: exit %i, one line on stderr', async (args, code, message) => {
    const out = await runGitfleet(args as string[], { env: env() });
    expect(out.code).toBe(code);
    expect(out.stderr).toMatch(message);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/^gitfleet: /);
  });

  it('a corrupt or missing config file: exit 2 and nothing written', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'gitfleet.config.json'), '{"repo": "./fleet.git",');
    const corrupt = await runGitfleet(['init', '--create'], { cwd: dir, env: env() });
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toMatch(/gitfleet\.config\.json is not valid JSON/);
    expect(existsSync(path.join(dir, 'fleet.git'))).toBe(false);
    const missing = await runGitfleet(['init', '--config', 'nope.json'], { cwd: dir, env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read config file/);
    expect(readdirSync(dir)).toEqual(['gitfleet.config.json']);
  });

  it('errors as JSON with --json', async () => {
    const out = await runGitfleet(['validate', '--json', '--server', 'Nope'], { env: env() });
    expect(out.code).toBe(2);
    expect(JSON.parse(out.stdout)).toEqual({ error: { code: 'E_CONFIG', message: expect.stringMatching(/server/), hint: expect.any(String) } });
  });

  it('a wrong token: exit 4, and neither token is printed', async () => {
    const wrong = 'glpat-WrongCliToken9876543210';
    const before = headOf(remote.bareDir);
    const out = await runGitfleet(['init', '--repo', remote.httpUrl], { env: { ...env(), GITFLEET_TOKEN: wrong } });
    expect(out.code).toBe(4);
    expect(out.stderr).toMatch(/refused the credentials/);
    expect(out.stdout + out.stderr).not.toContain(wrong);
    expect(headOf(remote.bareDir)).toBe(before);
  });

  it('a remote without the fleet branch: exit 6 with the fix in the message', async () => {
    const dir = tempDir();
    const { createBareRepo } = await import('../../src/git/server/createBareRepo.js');
    await createBareRepo(path.join(dir, 'empty.git'));
    const out = await runGitfleet(['validate', '--repo', path.join(dir, 'empty.git')], { env: env() });
    expect(out.code).toBe(6);
    expect(out.stderr).toMatch(/run `gitfleet init`/);
  });
});
