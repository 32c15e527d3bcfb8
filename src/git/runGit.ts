import { spawn } from 'node:child_process';
import { RemoteUnreachableError, GitCommandError } from '../errors/index.js';
import { killProcessTree } from './killProcessTree.js';

export interface RunGitOptions {
  cwd: string;
  env: Record<string, string>;
  input?: Uint8Array | string;
  /** Kill git after this long in all (default 120 s, or none when `silenceMs` is set). */
  timeoutMs?: number;
  /**
   * Kill git when it prints nothing, on stdout or stderr, for this long (network commands:
   * a fetch of a large repository may take long, but a stalled one goes quiet).
   */
  silenceMs?: number;
  /** Kill git and fail when stdout grows past this (a guard against hostile repositories). */
  maxOutputBytes?: number;
  /** Stops git (SIGTERM, so that it removes its own lock files) and fails the run. */
  signal?: AbortSignal;
}

export interface RunGitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs git without a shell and returns raw bytes: every git command of the CLI backend,
 * the network ones (fetch, push, ls-remote; with `silenceMs`) and the plumbing that
 * streams binary data through stdin/stdout (fast-import, log). No wrapper library: one
 * spawn, and nothing more to load at start-up (simple-git cost ~20 ms of every run).
 */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<RunGitResult> {
  const timeoutMs = options.timeoutMs ?? (options.silenceMs === undefined ? 120_000 : undefined);
  const maxOutput = options.maxOutputBytes ?? 1024 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let failure: Error | undefined;
    const kill = (error: Error) => {
      failure ??= error;
      if (child.pid !== undefined) killProcessTree(child.pid, 'SIGKILL');
      // A helper git started (git-remote-http) may hold the pipes open: without this, 'close' would wait for it.
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => kill(new RemoteUnreachableError(`git ${args[0]} did not finish within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    let silence: NodeJS.Timeout | undefined;
    const heard = () => {
      if (options.silenceMs === undefined) return;
      clearTimeout(silence);
      silence = setTimeout(
        () => kill(new RemoteUnreachableError(`git ${args[0]} timed out: nothing from it for ${Math.round(options.silenceMs! / 1000)} s`)),
        options.silenceMs,
      );
    };
    const stop = () => {
      clearTimeout(timer);
      clearTimeout(silence);
      options.signal?.removeEventListener('abort', abort);
    };
    heard();
    const abort = () => {
      failure ??= new GitCommandError(`git ${args[0]} was stopped`);
      // SIGTERM: git removes its own lock files; its helpers go with it (killProcessTree).
      if (child.pid !== undefined) killProcessTree(child.pid, 'SIGTERM');
    };
    if (options.signal?.aborted) abort();
    else options.signal?.addEventListener('abort', abort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      heard();
      outBytes += chunk.length;
      if (outBytes > maxOutput) {
        kill(new GitCommandError(`git ${args[0]} produced more than ${maxOutput} bytes`));
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      heard();
      if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => {
      // EPIPE when git exits early; its exit code and stderr tell the story.
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      stop();
      reject(
        error.code === 'ENOENT'
          ? new GitCommandError('the git program was not found', { hint: 'install git, or use --backend js for an http(s) remote' })
          : error,
      );
    });
    child.on('close', (code) => {
      stop();
      if (failure) return reject(failure);
      resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
