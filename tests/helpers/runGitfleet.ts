import { execFile } from 'node:child_process';
import path from 'node:path';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

// The installed `gitfleet` (package.json "bin"): the CommonJS launcher, which loads dist/cli.cjs.
const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.cjs');

/**
 * Runs the built `gitfleet` binary in its own process (asynchronously: the test process
 * may be the one serving the git remote). The environment is clean of GITFLEET_*, but for
 * the suite's own code cache folder (globalSetup.ts), unless `env` names another.
 */
export function runGitfleet(
  args: string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    input?: string /** Kill it (SIGKILL) after this long: a hang is a failure, not a stuck suite. */;
    timeoutMs?: number;
  } = {},
): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GITFLEET_')) env[k] = v;
  if (process.env.GITFLEET_TEST_CODE_CACHE) env.GITFLEET_CODE_CACHE = process.env.GITFLEET_TEST_CODE_CACHE;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { ...env, ...options.env },
        cwd: options.cwd,
        maxBuffer: 64 * 1024 * 1024,
        ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    // The process may stop reading early (a refused 10 MB body): that is not an error here.
    child.stdin?.on('error', () => undefined);
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
