import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './repoRoot.js';

const WRITER = path.join(repoRoot(), 'scripts/bench/writerProcess.mjs');

export interface RaceOptions {
  url: string;
  backend: 'cli' | 'js';
  /** Number of writer processes. */
  writers: number;
  mode: 'put' | 'claim';
  /** Folder under which each writer gets its own cache. */
  workDir: string;
  jobId?: string;
  token?: string;
  deadlineMs?: number;
  backoff?: { baseMs: number; capMs: number };
  /** Server id of writer i. */
  serverId?: (i: number) => string;
}

export interface WriterOutcome {
  server: string;
  ok: boolean;
  status?: string;
  attempts?: number;
  ms?: number;
  reason?: string;
  code?: string;
  message?: string;
}

export interface RaceResult {
  outcomes: WriterOutcome[];
  /** From the release of all writers to the last one finishing. */
  wallMs: number;
}

/**
 * Starts `writers` independent processes (own cache each), waits until every one has
 * primed its cache, then releases them all at the same instant and collects what
 * each reports.
 */
export async function raceWriters(options: RaceOptions): Promise<RaceResult> {
  const children: { child: ChildProcess; server: string; lines: string[]; ready: Promise<void>; done: Promise<void> }[] = [];
  for (let i = 0; i < options.writers; i++) {
    const server = options.serverId?.(i) ?? `writer-${String(i).padStart(3, '0')}`;
    const child = spawn(process.execPath, [
      WRITER,
      JSON.stringify({
        url: options.url,
        backend: options.backend,
        cacheDir: path.join(options.workDir, `cache-${i}`),
        server,
        mode: options.mode,
        wait: true,
        jobId: options.jobId,
        token: options.token,
        deadlineMs: options.deadlineMs ?? 600_000,
        backoff: options.backoff,
      }),
    ], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let markReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'ready') markReady();
      else lines.push(line);
    });
    const done = new Promise<void>((resolve) => child.on('close', () => {
      markReady();
      resolve();
    }));
    children.push({ child, server, lines, ready, done });
  }
  await Promise.all(children.map((c) => c.ready));
  const started = performance.now();
  for (const c of children) c.child.stdin!.write('go\n');
  await Promise.all(children.map((c) => c.done));
  const wallMs = performance.now() - started;
  const outcomes = children.map(({ server, lines }) => {
    const last = lines.at(-1);
    if (!last) return { server, ok: false, message: 'no output' };
    const report = JSON.parse(last) as { ok: boolean; results?: { status: string; attempts: number; ms: number; reason?: string }[]; code?: string; message?: string };
    const r = report.results?.[0];
    return { server, ok: report.ok, ...(r ?? {}), ...(report.code ? { code: report.code, message: report.message } : {}) };
  });
  return { outcomes, wallMs };
}
