import { spawn } from 'node:child_process';
import { RemoteUnreachableError, GitCommandError } from '../errors/index.js';

export interface RunGitOptions {
  cwd: string;
  env: Record<string, string>;
  input?: Uint8Array | string;
  timeoutMs?: number;
  /** Kill git and fail when stdout grows past this (a guard against hostile repositories). */
  maxOutputBytes?: number;
}

export interface RunGitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs git without a shell and returns raw bytes. Used for the plumbing that streams
 * binary data through stdin/stdout (fast-import, cat-file --batch, ls-tree -z), which
 * simple-git's string API is not made for; the porcelain and network commands go
 * through simple-git.
 */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<RunGitResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxOutput = options.maxOutputBytes ?? 1024 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let failure: Error | undefined;
    const timer = setTimeout(() => {
      failure = new RemoteUnreachableError(`git ${args[0]} did not finish within ${Math.round(timeoutMs / 1000)} s`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) {
        failure = new GitCommandError(`git ${args[0]} produced more than ${maxOutput} bytes`);
        child.kill('SIGKILL');
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => {
      // EPIPE when git exits early; its exit code and stderr tell the story.
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new GitCommandError('the git program was not found', { hint: 'install git, or use --backend js for an http(s) remote' })
          : error,
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
