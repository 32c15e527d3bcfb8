import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');

/**
 * Runs the built CLI; a run that would hang on the unfixed code (a FIFO nobody writes)
 * is killed after a generous bound so the test fails instead of blocking the suite.
 */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | string | null; stderr: string }> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GITFLEET_')) clean[k] = v;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...clean, ...env }, timeout: 45_000, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 },
      (error, _stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number | string }).code ?? (error as { signal?: string }).signal ?? null) : 0, stderr });
      },
    );
  });
}

describe('user-named local files are read only when regular, and capped', () => {
  afterAll(() => cleanupTempDirs());

  const fifo = () => {
    const file = path.join(tempDir(), 'fifo');
    execFileSync('mkfifo', [file]);
    return file;
  };

  it.each([
    ['--config /dev/zero', () => ({ args: ['--config', '/dev/zero'], env: {} }), /config file \/dev\/zero is not a regular file/],
    [
      '--config <fifo>',
      () => {
        const f = fifo();
        return { args: ['--config', f], env: {} };
      },
      /config file .*fifo is not a regular file/,
    ],
    ['GITFLEET_TOKEN_FILE=/dev/zero', () => ({ args: [], env: { GITFLEET_TOKEN_FILE: '/dev/zero' } }), /token file \/dev\/zero is not a regular file/],
    [
      'GITFLEET_TOKEN_FILE=<fifo>',
      () => {
        const f = fifo();
        return { args: [], env: { GITFLEET_TOKEN_FILE: f } };
      },
      /token file .*fifo is not a regular file/,
    ],
  ])('%s: exit 2 at once with one line naming the file', async (_name, setup, message) => {
    const { args, env } = setup();
    const result = await run(['status', '--repo', '/nonexistent/fleet.git', ...args], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a config file or token file over its cap is refused without reading it whole', async () => {
    const dir = tempDir();
    const big = path.join(dir, 'big.json');
    writeFileSync(big, `{"repo": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    const config = await run(['status', '--config', big], {});
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/config file .*big\.json is larger than 1024 KiB/);
    const token = path.join(dir, 'token');
    writeFileSync(token, 'x'.repeat(100 * 1024));
    const tokenRun = await run(['status', '--repo', '/nonexistent/fleet.git'], { GITFLEET_TOKEN_FILE: token });
    expect(tokenRun.code).toBe(2);
    expect(tokenRun.stderr).toMatch(/token file .*token is larger than 64 KiB/);
  });
});
