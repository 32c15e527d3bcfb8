import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetRemote, headOf, startFleetRemote } from '../helpers/fleetRemote.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const TOKEN = 'ghp_AgentPlantedToken0123456789abcdef';
const OTHER_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTED';

function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const full = path.join(dir, n);
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}

describe('gitfleet agent (CLI)', () => {
  let remote: FleetRemote;
  let work: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    remote = await startFleetRemote({ auth: { username: 'x-access-token', password: TOKEN } });
    work = tempDir();
    env = {
      GITFLEET_REPO: remote.httpUrl,
      GITFLEET_TOKEN: TOKEN,
      GITFLEET_CACHE_DIR: path.join(work, 'cache'),
      GITFLEET_DATA_DIR: path.join(work, 'data'),
      AWS_SECRET_ACCESS_KEY: OTHER_SECRET,
    };
    expect((await runGitfleet(['init'], { env })).code).toBe(0);
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('publishes a status with the real collector; no token or environment value ends up in it or in any file', async () => {
    const out = await runGitfleet(['agent', '--once', '--now', '--server', 'real-01', '--json'], { env });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ server: 'real-01', pushed: true });
    const status = await runGitfleet(['status', '--json'], { env });
    const rows = JSON.parse(status.stdout) as { server: string; cpuPercent: number; health: string }[];
    expect(rows.find((r) => r.server === 'real-01')).toMatchObject({ server: 'real-01' });
    const { execFileSync } = await import('node:child_process');
    const record = execFileSync('git', ['--git-dir', remote.bareDir, 'show', 'main:status/real-01.json']).toString();
    expect(JSON.parse(record)).toMatchObject({ server: 'real-01', cpu: { cores: expect.any(Number) }, memory: { totalBytes: expect.any(Number) } });
    for (const secret of [TOKEN, OTHER_SECRET]) {
      expect(record).not.toContain(secret);
      expect(out.stdout + out.stderr).not.toContain(secret);
      expect(allFiles(work).filter((f) => readFileSync(f).includes(secret))).toEqual([]);
    }
  });

  it.each([
    ['../x', /server: must be a DNS label/],
    ['A B', /server: must be a DNS label/],
    ['x'.repeat(70), /server/],
  ])('refuses --server %j: exit 2, one line, nothing written', async (server, message) => {
    const before = headOf(remote.bareDir);
    const out = await runGitfleet(['agent', '--once', '--now', '--server', server], { env: { ...env, GITFLEET_DATA_DIR: path.join(work, 'bad-data') } });
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(message);
    expect(headOf(remote.bareDir)).toBe(before);
    expect(existsSync(path.join(work, 'bad-data'))).toBe(false);
  });

  it('without a server id, with a corrupt config, or with an unknown flag: exit 2 and nothing written', async () => {
    const before = headOf(remote.bareDir);
    const noServer = await runGitfleet(['agent', '--once'], { env });
    expect(noServer).toMatchObject({ code: 2, stderr: expect.stringMatching(/needs this server's id/) });
    const dir = tempDir();
    writeFileSync(path.join(dir, 'gitfleet.config.json'), '{"server": "web-01", "repo": ');
    const corrupt = await runGitfleet(['agent', '--once'], { env, cwd: dir });
    expect(corrupt).toMatchObject({ code: 2, stderr: expect.stringMatching(/not valid JSON/) });
    const missing = await runGitfleet(['agent', '--once', '--config', path.join(dir, 'missing.json')], { env });
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot read config file/) });
    const flag = await runGitfleet(['agent', '--once', '--server', 'web-01', '--frequency', '5'], { env });
    expect(flag).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown option --frequency; see gitfleet agent --help/) });
    const every = await runGitfleet(['agent', '--once', '--server', 'web-01', '--every', 'often'], { env });
    expect(every).toMatchObject({ code: 2, stderr: expect.stringMatching(/--every "often"/) });
    expect(headOf(remote.bareDir)).toBe(before);
  });

  it('with a wrong token: exit 4, status kept in the outbox, token never printed', async () => {
    const wrong = 'ghp_WrongAgentToken000000000000000000';
    const out = await runGitfleet(['agent', '--once', '--now', '--server', 'web-09'], { env: { ...env, GITFLEET_TOKEN: wrong } });
    expect(out.code).toBe(4);
    expect(out.stderr).toMatch(/refused the credentials/);
    expect(out.stdout + out.stderr).not.toContain(wrong);
  });
});
