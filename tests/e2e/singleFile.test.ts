import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { cwd: options.cwd, env: options.env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

// `npm run build:single`: the CLI as one file for servers that should not run npm. Built
// into a temporary folder with no node_modules above it, so a dependency left out fails here.
describe('the single-file build', () => {
  let work: string;
  let single: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    work = tempDir('gitfleet-single-');
    single = path.join(work, 'bin', 'gitfleet.mjs');
    const built = await run(path.join(ROOT, 'scripts/build.mjs'), ['--single', '--quiet', '--out', single], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    env = { PATH: process.env.PATH ?? '', HOME: work, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data') };
  }, 120_000);
  afterAll(() => cleanupTempDirs());

  it('runs --version, init --create on a local bare repository, agent --once --now --simulate and status', async () => {
    expect(statSync(single).size).toBeLessThan(4 * 1024 * 1024);
    const version = await run(single, ['--version'], { cwd: work, env });
    expect(version).toMatchObject({ code: 0, stdout: `${(await import('../../package.json', { with: { type: 'json' } })).default.version}\n` });
    const repo = ['--repo', path.join(work, 'fleet.git')];
    const init = await run(single, ['init', '--create', ...repo], { cwd: work, env });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const agent = await run(single, ['agent', '--once', '--now', '--simulate', '--server', 'web-1', '--json', ...repo], { cwd: work, env });
    expect(agent.code).toBe(0);
    expect(JSON.parse(agent.stdout)).toMatchObject({ server: 'web-1', pushed: true });
    const status = await run(single, ['status', '--json', ...repo], { cwd: work, env });
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as { server: string }[]).map((r) => r.server)).toEqual(['web-1']);
    // Every record checked against its schema by the validators compiled into the file.
    const validate = await run(single, ['validate', ...repo], { cwd: work, env });
    expect(validate.code).toBe(0);
  });
});
