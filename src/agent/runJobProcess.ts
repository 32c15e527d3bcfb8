import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { redactSecrets } from '../messages/secretScanner.js';
import { redact } from '../util/redact.js';
import type { JobCommand } from './JobKinds.js';

export interface ProcessOutcome {
  exitCode: number | null;
  signal?: string;
  /** The last bytes of stdout and stderr together, secrets redacted. */
  outputTail: string;
  durationMs: number;
  timedOut: boolean;
  /** Stopped on request (cancellation, self-stop, lost lease). */
  stopped: boolean;
  /** Could not be started at all (program not found, bad cwd). */
  spawnError?: string;
}

const TAIL_BYTES = 8 * 1024;
/** Characters of output kept in the job result (the schema allows 16,384). */
const TAIL_CHARS = 8 * 1024;
/** How long a job has after SIGTERM before SIGKILL. */
export const KILL_GRACE_MS = 5_000;

export interface RunJobProcessOptions {
  logFile: string;
  signal?: AbortSignal;
  /** SIGKILL this long after SIGTERM; default KILL_GRACE_MS (tests set it short). */
  killGraceMs?: number;
}

/**
 * Runs one job's command: no shell, its own process group (so a timeout or a stop
 * reaches every process it started), output appended to a log file on this server and
 * its tail kept for the job result. SIGTERM first, SIGKILL after a grace period.
 */
export function runJobProcess(command: JobCommand, options: RunJobProcessOptions): Promise<ProcessOutcome> {
  const started = Date.now();
  mkdirSync(path.dirname(options.logFile), { recursive: true, mode: 0o700 });
  const log = createWriteStream(options.logFile, { flags: 'a', mode: 0o600 });
  // A log that cannot be written (disk full, a folder in the way) must not take the agent down.
  let logError: string | undefined;
  log.on('error', (error) => {
    logError ??= error.message;
  });
  const logClosed = new Promise<void>((resolve) => log.once('close', () => resolve()));
  let tail = Buffer.alloc(0);
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    tail = Buffer.concat([tail, chunk]);
    // Keep two tails' worth, so that the part that is finally shown was redacted with its context.
    if (tail.length > TAIL_BYTES * 4) tail = tail.subarray(tail.length - TAIL_BYTES * 2);
  };
  return new Promise((resolve) => {
    let timedOut = false;
    let stopped = false;
    let killTimer: NodeJS.Timeout | undefined;
    const child = spawn(command.argv[0]!, command.argv.slice(1), {
      cwd: command.cwd,
      env: command.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      shell: false,
    });
    const stop = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child.pid, 'SIGTERM');
      killTimer ??= setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.killGraceMs ?? KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, command.timeoutMs);
    const onAbort = () => {
      stopped = true;
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let done = false;
    const finish = (outcome: Omit<ProcessOutcome, 'outputTail' | 'durationMs' | 'timedOut' | 'stopped'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      log.end();
      // Redact the whole kept window before cutting it, so a secret across the cut is never half shown;
      // cut on characters, not bytes, so no character is split.
      const text = redact(redactSecrets(tail.toString('utf8'))).slice(-TAIL_CHARS);
      const durationMs = Date.now() - started;
      // The result names the log file: it must be complete when the result is reported.
      void Promise.race([logClosed, new Promise((r) => setTimeout(r, 5_000))]).then(() => {
        const outputTail = logError ? `${text}\n[gitfleet: the log file could not be written: ${logError}]`.slice(-TAIL_CHARS) : text;
        resolve({ ...outcome, outputTail, durationMs, timedOut, stopped });
      });
    };
    child.on('error', (error) => finish({ exitCode: null, spawnError: error.message }));
    child.on('close', (code, signal) => finish(signal ? { exitCode: null, signal } : { exitCode: code }));
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
