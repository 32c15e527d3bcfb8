import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { clearSecrets, registerSecret } from '../util/redact.js';
import type { JobCommand } from './JobKinds.js';
import { runJobProcess } from './runJobProcess.js';

afterAll(cleanupTempDirs);

const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin' };

function sh(script: string, options: { timeoutMs?: number; args?: string[]; env?: NodeJS.ProcessEnv; cwd?: string } = {}): JobCommand {
  return { argv: ['/bin/sh', '-c', script, 'sh', ...(options.args ?? [])], cwd: options.cwd, env: options.env ?? ENV, timeoutMs: options.timeoutMs ?? 20_000 };
}

function logIn(dir = tempDir()): string {
  return path.join(dir, 'logs', 'job.log');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads a job log (complete once the outcome resolves; the wait only guards against a regression hanging the test). */
async function readLog(file: string, expectedBytes?: number, withinMs = 5_000): Promise<string> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    let size = -1;
    try {
      size = statSync(file).size;
    } catch {
      // Not created yet.
    }
    if (size >= 0 && (expectedBytes === undefined || size >= expectedBytes)) return readFileSync(file, 'utf8');
    if (Date.now() > deadline) throw new Error(`log ${file} has ${size} bytes, expected ${expectedBytes ?? 'any'}`);
    await sleep(20);
  }
}

/** Whether a process exists and is not a zombie (PID 1 in a container may not reap). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntilDead(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

async function readPid(file: string): Promise<number> {
  const text = await readLogLike(file);
  const pid = Number(text.trim());
  expect(Number.isInteger(pid) && pid > 1).toBe(true);
  return pid;
}

async function readLogLike(file: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    try {
      const text = readFileSync(file, 'utf8');
      if (text.trim()) return text;
    } catch {
      // Not written yet.
    }
    await sleep(20);
  }
  throw new Error(`${file} was never written`);
}

describe('runJobProcess', () => {
  afterEach(() => {
    clearSecrets();
  });

  it('reports exit code 0 and sends stdout and stderr to the log file and the tail', async () => {
    const logFile = logIn();
    const outcome = await runJobProcess(sh('echo to-stdout; echo to-stderr >&2; exit 0'), { logFile });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.signal).toBeUndefined();
    expect(outcome.timedOut).toBe(false);
    expect(outcome.stopped).toBe(false);
    expect(outcome.spawnError).toBeUndefined();
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(outcome.outputTail).toContain('to-stdout\n');
    expect(outcome.outputTail).toContain('to-stderr\n');
    const log = await readLog(logFile, 'to-stdout\nto-stderr\n'.length);
    expect(log).toContain('to-stdout\n');
    expect(log).toContain('to-stderr\n');
    // The log folder is created; the file is private to the agent's user.
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
  });

  it('reports a non-zero exit code', async () => {
    const outcome = await runJobProcess(sh('echo failing >&2; exit 3'), { logFile: logIn() });
    expect(outcome.exitCode).toBe(3);
    expect(outcome.signal).toBeUndefined();
    expect(outcome.timedOut).toBe(false);
    expect(outcome.stopped).toBe(false);
    expect(outcome.outputTail).toBe('failing\n');
  });

  it('appends to an existing log file', async () => {
    const logFile = logIn();
    await runJobProcess(sh('echo first'), { logFile });
    await readLog(logFile, 'first\n'.length);
    await runJobProcess(sh('echo second'), { logFile });
    expect(await readLog(logFile, 'first\nsecond\n'.length)).toBe('first\nsecond\n');
  });

  it('runs argv without a shell and with only the given environment and cwd', async () => {
    process.env.GITFLEET_TEST_PARENT_ONLY = 'leaked';
    try {
      const dir = tempDir();
      const echo = await runJobProcess(
        { argv: ['/bin/echo', 'a; echo b', '$HOME', '`id`'], cwd: undefined, env: ENV, timeoutMs: 10_000 },
        { logFile: logIn() },
      );
      expect(echo.outputTail).toBe('a; echo b $HOME `id`\n');
      const env = await runJobProcess(
        sh('echo "id=$GITFLEET_JOB_ID parent=$GITFLEET_TEST_PARENT_ONLY"; pwd', { env: { ...ENV, GITFLEET_JOB_ID: 'j1' }, cwd: dir }),
        { logFile: logIn() },
      );
      expect(env.outputTail).toBe(`id=j1 parent=\n${realpathSync(dir)}\n`);
    } finally {
      delete process.env.GITFLEET_TEST_PARENT_ONLY;
    }
  });

  it('keeps only the last 8 KiB in the tail while the log file gets everything', async () => {
    const logFile = logIn();
    const total = 200_000;
    const script = `head -c ${total} /dev/zero | tr '\\0' a; echo START-OF-ERR >&2; sleep 0.3; printf END`;
    const outcome = await runJobProcess(sh(script), { logFile });
    expect(outcome.exitCode).toBe(0);
    expect(Buffer.byteLength(outcome.outputTail)).toBeLessThanOrEqual(8 * 1024);
    expect(Buffer.byteLength(outcome.outputTail)).toBeGreaterThanOrEqual(8 * 1024 - 64);
    expect(outcome.outputTail.endsWith('START-OF-ERR\nEND')).toBe(true);
    expect(outcome.outputTail).toMatch(/^a+START-OF-ERR\nEND$/);
    const expectedBytes = total + 'START-OF-ERR\nEND'.length;
    const log = await readLog(logFile, expectedBytes);
    expect(log.length).toBe(expectedBytes);
    expect(log.startsWith('a'.repeat(1000))).toBe(true);
    expect(log.endsWith('START-OF-ERR\nEND')).toBe(true);
  });

  it('redacts secrets printed by the job in the tail', async () => {
    const aws = 'AKIAIOSFODNN7EXAMPLE';
    const github = `ghp_${'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A'}`;
    expect(github).toHaveLength(40);
    const outcome = await runJobProcess(sh(`echo "key=${aws}"; echo "token ${github}" >&2; echo done`), { logFile: logIn() });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.outputTail).not.toContain(aws);
    expect(outcome.outputTail).not.toContain(github);
    expect(outcome.outputTail).not.toContain(github.slice(4));
    expect(outcome.outputTail).toContain('[REDACTED AWS access key id]');
    expect(outcome.outputTail).toContain('[REDACTED GitHub token]');
    expect(outcome.outputTail).toContain('done\n');
  });

  it("masks the agent's registered secrets in the tail", async () => {
    registerSecret('agent-own-token-9f8e7d');
    const outcome = await runJobProcess(sh('echo "got agent-own-token-9f8e7d here"'), { logFile: logIn() });
    expect(outcome.outputTail).toBe('got *** here\n');
  });

  it('kills a command that exceeds its timeout', async () => {
    const started = Date.now();
    const outcome = await runJobProcess(sh('echo before; sleep 30; echo after', { timeoutMs: 300 }), { logFile: logIn() });
    expect(outcome.timedOut).toBe(true);
    expect(outcome.stopped).toBe(false);
    expect(outcome.exitCode).toBeNull();
    expect(outcome.signal).toBe('SIGTERM');
    expect(outcome.outputTail).toBe('before\n');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('kills the processes the job started in the background when it times out', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'bg.pid');
    // The background sleep does not hold the output pipes: only the group kill can end it.
    const script = 'sleep 30 >/dev/null 2>&1 </dev/null & echo $! > "$1"; sleep 30';
    const started = Date.now();
    const outcome = await runJobProcess(sh(script, { timeoutMs: 500, args: [pidFile] }), { logFile: logIn(dir) });
    expect(outcome.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    const pid = await readPid(pidFile);
    const dead = await waitUntilDead(pid, 6_000);
    if (!dead) process.kill(pid, 'SIGKILL');
    expect(dead).toBe(true);
  });

  it('sends SIGKILL after the grace period to a job that ignores SIGTERM', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'bg.pid');
    const script = 'trap "" TERM; sleep 30 >/dev/null 2>&1 </dev/null & echo $! > "$1"; sleep 30';
    // A short grace instead of the default 5 s: what counts is that SIGKILL follows SIGTERM.
    const outcome = await runJobProcess(sh(script, { timeoutMs: 200, args: [pidFile] }), { logFile: logIn(dir), killGraceMs: 300 });
    expect(outcome.timedOut).toBe(true);
    expect(outcome.signal).toBe('SIGKILL');
    expect(outcome.exitCode).toBeNull();
    const pid = await readPid(pidFile);
    const dead = await waitUntilDead(pid, 3_000);
    if (!dead) process.kill(pid, 'SIGKILL');
    expect(dead).toBe(true);
  }, 30_000);

  it('stops the job when the signal is aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const outcome = await runJobProcess(sh('echo running; sleep 30', { timeoutMs: 60_000 }), { logFile: logIn(), signal: controller.signal });
    expect(outcome.stopped).toBe(true);
    expect(outcome.timedOut).toBe(false);
    expect(outcome.exitCode).toBeNull();
    expect(outcome.signal).toBe('SIGTERM');
    expect(outcome.outputTail).toBe('running\n');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const started = Date.now();
    const outcome = await runJobProcess(sh('sleep 30', { timeoutMs: 60_000 }), { logFile: logIn(), signal: controller.signal });
    expect(outcome.stopped).toBe(true);
    expect(outcome.exitCode).toBeNull();
    expect(outcome.signal).toBeDefined();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('does not mark a job that finished before an abort as stopped', async () => {
    const controller = new AbortController();
    const outcome = await runJobProcess(sh('exit 0'), { logFile: logIn(), signal: controller.signal });
    controller.abort();
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stopped).toBe(false);
  });

  it('reports a program that does not exist as a spawn error without throwing', async () => {
    const dir = tempDir();
    const outcome = await runJobProcess(
      { argv: [path.join(dir, 'no-such-program'), 'x'], cwd: undefined, env: ENV, timeoutMs: 5_000 },
      { logFile: logIn(dir) },
    );
    expect(outcome.exitCode).toBeNull();
    expect(outcome.spawnError).toMatch(/ENOENT/);
    expect(outcome.timedOut).toBe(false);
    expect(outcome.stopped).toBe(false);
    expect(outcome.outputTail).toBe('');
  });

  it('reports a missing working directory as a spawn error without throwing', async () => {
    const dir = tempDir();
    const outcome = await runJobProcess(sh('echo hi', { cwd: path.join(dir, 'missing') }), { logFile: logIn(dir) });
    expect(outcome.exitCode).toBeNull();
    expect(outcome.spawnError).toMatch(/ENOENT/);
  });

  it('has written the whole log by the time the outcome resolves', async () => {
    const logFile = logIn();
    await runJobProcess(sh(`head -c 300000 /dev/zero | tr '\\0' b`), { logFile });
    expect(statSync(logFile).size).toBe(300_000);
  });

  it('survives a log file that cannot be written, and says so in the tail', async () => {
    const dir = tempDir();
    const outcome = await runJobProcess(sh('echo still ran'), { logFile: dir });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.outputTail).toContain('still ran');
    expect(outcome.outputTail).toMatch(/the log file could not be written/);
  });

  it('redacts a secret that straddles the start of the kept tail', async () => {
    const token = `ghp_${'A1b2C3d4E5f6G7h8J9k0'.repeat(2).slice(0, 36)}`;
    // 20 KB, the token, then just under 8 KiB: the tail's cut falls inside the token.
    const script = `head -c 20000 /dev/zero | tr '\\0' x; printf ' token=%s\\n' "$1"; head -c 8155 /dev/zero | tr '\\0' y`;
    const outcome = await runJobProcess(sh(script, { args: [token] }), { logFile: logIn() });
    expect(outcome.outputTail).not.toContain(token.slice(10));
    expect(outcome.outputTail.length).toBeGreaterThan(8000);
  });
});
