/**
 * The loopback upstream of `npm run bench:scale`: git http-backend (GitHttpServer; 8 backends at
 * once, GITFLEET_BENCH_BACKENDS to change) behind
 * counting proxies, one per kind of writer, so the bench can say who spends the budget.
 * Every `POST git-receive-pack` is a push, every `GET info/refs` a git read (each fetch,
 * ls-remote or push starts with one).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createStore } from '../../src/config/createStore.js';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import type { ServerStatus } from '../../src/schema/types.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';

export interface CountingProxy {
  url: string;
  pushes: number[];
  reads: number[];
  close(): Promise<void>;
}

/** A loopback proxy in front of the upstream that counts pushes and reads by time. */
export async function countingProxy(target: string): Promise<CountingProxy> {
  const pushes: number[] = [];
  const reads: number[] = [];
  const up = new URL(target);
  const server = http.createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    if (req.method === 'POST' && req.url?.endsWith('/git-receive-pack')) pushes.push(Date.now());
    if (req.method === 'GET' && req.url?.includes('/info/refs')) reads.push(Date.now());
    const forward = http.request(
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: `${up.hostname}:${up.port}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/fleet.git`, pushes, reads, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A fresh upstream with fleet.json holding `fleet` (and the name). */
export async function startUpstream(root: string, fleet: Record<string, unknown>) {
  const projectRoot = path.join(root, 'upstream');
  const bareDir = path.join(projectRoot, 'fleet.git');
  await createBareRepo(bareDir);
  const server = await new GitHttpServer({ projectRoot, maxBackends: Number(process.env.GITFLEET_BENCH_BACKENDS ?? 8) }).start();
  const init = createStore({ remote: `${server.url}/fleet.git`, cacheDir: path.join(root, 'init-cache'), actor: 'op:bench' });
  await init.transact('init', initFleetPlan({ name: 'scale', ...fleet } as never), { createBranch: true });
  await init.close();
  return { bareDir, server, url: `${server.url}/fleet.git` };
}

export function git(args: string[], input?: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('latin1'))
        : reject(new Error(`git ${args.find((a) => !a.startsWith('-') && !a.includes('/'))}: ${err.slice(0, 300)}`)),
    );
    child.stdin.end(input ?? '');
  });
}

/** Every server's status upstream (read from the bare repository, not counted): seq and updatedAt. */
export async function upstreamStatuses(bareDir: string): Promise<Map<string, { seq: number; updatedAt: number }>> {
  const tree = await git(['--git-dir', bareDir, 'ls-tree', 'main', 'status/']).catch(() => '');
  const oids = tree
    .split('\n')
    .filter((l) => l.endsWith('.json'))
    .map((l) => l.split(/\s+/)[2]!);
  const out = new Map<string, { seq: number; updatedAt: number }>();
  if (oids.length === 0) return out;
  const raw = Buffer.from(await git(['--git-dir', bareDir, 'cat-file', '--batch'], `${oids.join('\n')}\n`), 'latin1');
  let at = 0;
  while (at < raw.length) {
    const nl = raw.indexOf(10, at);
    const size = Number(/ blob (\d+)$/.exec(raw.subarray(at, nl).toString())?.[1] ?? -1);
    if (size < 0) break;
    const s = JSON.parse(raw.subarray(nl + 1, nl + 1 + size).toString()) as ServerStatus;
    out.set(s.server, { seq: s.seq, updatedAt: Date.parse(s.updatedAt) });
    at = nl + 1 + size + 1;
  }
  return out;
}

/** Each server's status age in periods (a server with no status upstream counts as Infinity). */
export function ages(statuses: Map<string, { updatedAt: number }>, servers: readonly string[], now: number, periodMs: number): number[] {
  return servers.map((id) => {
    const s = statuses.get(id);
    return s ? (now - s.updatedAt) / periodMs : Number.POSITIVE_INFINITY;
  });
}

export function perMinute(times: number[], from: number, to: number): number {
  return (times.filter((t) => t >= from && t < to).length * 60_000) / (to - from);
}
