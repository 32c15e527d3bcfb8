import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CacheCorruptError, GitCommandError } from '../errors/index.js';

export interface BatchAnswer {
  /** The object's id (the name asked for may be `commit:path`). */
  oid: string;
  type: string;
  size: number;
  /** The object's bytes (`--batch`, or `contents` of `--batch-command`), else absent. */
  content?: Buffer;
}

/** git refused the mode (`--batch-command` before git 2.36): the caller falls back to another. */
export class UnsupportedBatchModeError extends Error {}

/** What `--batch-command` is asked for each name: its header only, or its bytes too. */
export type BatchRequest = 'info' | 'contents';

/**
 * One long-lived `git cat-file --batch` (or `--batch-check`, or `--batch-command`, which
 * answers both kinds of request) per cache: tree walks ask for a level of trees at a time,
 * and a process per request cost more than the reads. Requests are served one after
 * another; a git that dies (a corrupt object makes it exit) fails the pending request with
 * CacheCorruptError and is restarted on the next. A git too old for the mode fails it
 * with UnsupportedBatchModeError instead.
 */
export class CatFileBatch {
  #child: ChildProcessWithoutNullStreams | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #stderr = '';
  #waiter: (() => void) | undefined;
  #failure: Error | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly mode: '--batch' | '--batch-check' | '--batch-command',
    private readonly cwd: () => string,
    private readonly env: () => Record<string, string>,
    private readonly timeoutMs = 120_000,
  ) {}

  /**
   * Answers in request order; null for a name the repository does not hold. `request`
   * chooses, in `--batch-command` mode, between headers (`info`) and bytes (`contents`);
   * the other modes answer what they are made for.
   */
  read(names: readonly string[], request: BatchRequest = this.mode === '--batch-check' ? 'info' : 'contents'): Promise<(BatchAnswer | null)[]> {
    if (this.mode !== '--batch-command' && request !== (this.mode === '--batch' ? 'contents' : 'info')) {
      throw new Error(`git cat-file ${this.mode} cannot answer ${request}`);
    }
    const run = this.#queue.then(() => this.#read(names, request));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Starts git now, idle, if it is not running: a read that follows (after a fetch) then
   * finds it ready. It may start before the objects it will be asked for exist: git looks
   * for a loose object when asked, and reloads its list of packs when it misses one.
   */
  prestart(): void {
    // Never while a request is served (the queue is shared), and never over a failed one.
    const idle = this.#queue;
    void idle.then(() => {
      if (this.#child && this.#child.exitCode === null && !this.#failure) return;
      this.#hold(this.#start(), false);
    });
  }

  close(): void {
    this.#child?.kill();
    this.#child = undefined;
    // A read waiting on the git just killed fails now: its close event no longer counts
    // (#child is cleared), and the read would otherwise wait for its timeout, keeping the
    // process alive. A read after this starts git again.
    if (this.#waiter) {
      this.#failure ??= new GitCommandError('git cat-file was stopped (the cache was closed or reset)');
      this.#waiter();
    }
  }

  async #read(names: readonly string[], request: BatchRequest): Promise<(BatchAnswer | null)[]> {
    if (names.some((n) => /\s/.test(n))) throw new CacheCorruptError('an object name with white space');
    const child = this.#start();
    this.#hold(child, true);
    const timer = setTimeout(() => this.#fail(new CacheCorruptError(`git cat-file gave no answer in ${this.timeoutMs / 1000} s`)), this.timeoutMs);
    try {
      // --batch-command runs with --buffer: it answers at `flush`, in one write instead of one per object.
      child.stdin.write(this.mode === '--batch-command' ? `${names.map((n) => `${request} ${n}\n`).join('')}flush\n` : names.map((n) => `${n}\n`).join(''));
      const answers: (BatchAnswer | null)[] = [];
      for (let i = 0; i < names.length; i++) {
        const header = (await this.#take(() => this.#line())).toString('utf8').split(' ');
        if (header.length < 3 || !/^\d+$/.test(header[2]!)) {
          answers.push(null);
          continue;
        }
        const size = Number(header[2]);
        if (request === 'info') {
          answers.push({ oid: header[0]!, type: header[1]!, size });
          continue;
        }
        const content = await this.#take(() => (this.#buffer.length >= size + 1 ? this.#slice(size + 1).subarray(0, size) : null));
        answers.push({ oid: header[0]!, type: header[1]!, size, content });
      }
      return answers;
    } finally {
      clearTimeout(timer);
      this.#hold(child, false);
    }
  }

  // An idle reader must not keep the process alive (a command that forgets close() would
  // never exit); a pending one must.
  #hold(child: ChildProcessWithoutNullStreams, busy: boolean): void {
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as { ref?: () => void; unref?: () => void }[]) {
      if (busy) handle.ref?.();
      else handle.unref?.();
    }
  }

  #start(): ChildProcessWithoutNullStreams {
    if (this.#child && this.#child.exitCode === null && !this.#failure) return this.#child;
    this.close();
    this.#buffer = Buffer.alloc(0);
    this.#stderr = '';
    this.#failure = undefined;
    const args = this.mode === '--batch-command' ? ['cat-file', '--batch-command', '--buffer'] : ['cat-file', this.mode];
    const child = spawn('git', args, { cwd: this.cwd(), env: this.env(), stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
      this.#waiter?.();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.#stderr.length < 4096) this.#stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => this.#fail(new CacheCorruptError(`cannot run git cat-file (${error.message})`)));
    child.on('close', (code) => {
      // git's answer to an option it does not know: exit 129 and its usage.
      if (this.#child === child && code === 129 && /unknown option/i.test(this.#stderr))
        this.#fail(new UnsupportedBatchModeError(`git cat-file does not know ${this.mode}`));
      else if (this.#child === child)
        this.#fail(
          new CacheCorruptError(`the local git cache is damaged (git cat-file: ${this.#stderr.trim().split('\n')[0]?.slice(0, 200) || `exit ${code}`})`, {
            hint: 'delete the cache directory (see --cache-dir) and run again',
          }),
        );
    });
    this.#child = child;
    return child;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#child?.kill();
    this.#child = undefined;
    this.#waiter?.();
  }

  /** Waits until `get` finds what it needs in the buffer. */
  async #take(get: () => Buffer | null): Promise<Buffer> {
    for (;;) {
      const got = get();
      if (got) return got;
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve) => (this.#waiter = resolve));
      this.#waiter = undefined;
    }
  }

  #line(): Buffer | null {
    const eol = this.#buffer.indexOf(0x0a);
    if (eol < 0) return null;
    return this.#slice(eol + 1).subarray(0, eol);
  }

  #slice(n: number): Buffer {
    const head = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return head;
  }
}
