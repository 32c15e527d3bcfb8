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
  /** Writers per process (default 1: each writer its own process, as servers are). */
  perProcess?: number;
}

export interface WriterOutcome {
  server: string;
  ok: boolean;
  status?: string;
  attempts?: number;
  /** Fetches (and listings) of the transaction: with the pushes, what the remote served. */
  fetches?: number;
  ms?: number;
  reason?: string;
  code?: string;
  message?: string;
}

interface WriterReport {
  ok: boolean;
  server?: string;
  results?: { status: string; attempts: number; fetches?: number; ms: number; reason?: string }[];
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
  const children: { child: ChildProcess; servers: string[]; lines: string[]; ready: Promise<void>; done: Promise<void> }[] = [];
  const perProcess = Math.max(1, options.perProcess ?? 1);
  const all = Array.from({ length: options.writers }, (_, i) => options.serverId?.(i) ?? `writer-${String(i).padStart(3, '0')}`);
  for (let first = 0; first < all.length; first += perProcess) {
    const servers = all.slice(first, first + perProcess);
    const common = {
      url: options.url,
      backend: options.backend,
      mode: options.mode,
      wait: true,
      jobId: options.jobId,
      token: options.token,
      deadlineMs: options.deadlineMs ?? 600_000,
      backoff: options.backoff,
    };
    const spec =
      perProcess === 1
        ? { ...common, server: servers[0], cacheDir: path.join(options.workDir, `cache-${first}`) }
        : { ...common, servers, cacheDir: path.join(options.workDir, `group-${first}`) };
    const child = spawn(process.execPath, [WRITER, JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let markReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'ready') markReady();
      else lines.push(line);
    });
    const done = new Promise<void>((resolve) =>
      child.on('close', () => {
        markReady();
        resolve();
      }),
    );
    children.push({ child, servers, lines, ready, done });
  }
  await Promise.all(children.map((c) => c.ready));
  const started = performance.now();
  for (const c of children) c.child.stdin!.write('go\n');
  await Promise.all(children.map((c) => c.done));
  const wallMs = performance.now() - started;
  const outcomes = children.flatMap(({ servers, lines }) => {
    const reports = new Map<string, WriterReport>();
    for (const line of lines) {
      try {
        const report = JSON.parse(line) as WriterReport;
        if (report.server) reports.set(report.server, report);
      } catch {
        // Not a report (a stray line): the writer's outcome says 'no output' below.
      }
    }
    return servers.map((server): WriterOutcome => {
      const report = reports.get(server);
      if (!report) return { server, ok: false, message: 'no output' };
      const r = report.results?.[0];
      return { server, ok: report.ok, ...(r ?? {}), ...(report.code ? { code: report.code, message: report.message } : {}) } as WriterOutcome;
    });
  });
  return { outcomes, wallMs };
}
