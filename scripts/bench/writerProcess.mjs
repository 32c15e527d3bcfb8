#!/usr/bin/env node
// One independent writer, as one server would be: its own process, its own cache.
// Used by the concurrency tests and by `npm run bench:store`.
//
//   node scripts/bench/writerProcess.mjs '<json options>'
//
// options: { url, backend, cacheDir, server | servers, mode, deadlineMs, token, wait, count, jobId }
//   servers: several writers in this one process, each with its own cache under cacheDir
//   mode "put":   write status/<server>.json (count times)
//   mode "claim": claim jobs/<jobId>.json unless it is already claimed
// With wait:true it prints "ready" once its cache is primed, then waits for a line on
// stdin, so that a parent can release many writers at the same instant.
// Each writer prints one JSON summary line.
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ChangeSet, abort, createLogger, createStore, validateRecord } from '../../dist/index.js';

const opts = JSON.parse(process.argv[2] ?? '{}');
// Several independent writers may share one process (each with its own store and
// cache, as separate servers would have): how the benchmark holds 500 writers on a
// machine that cannot start 500 node processes at once.
const servers = opts.servers ?? [opts.server];

function openWriter(server) {
  return createStore({
    remote: opts.url,
    token: opts.token,
    backend: opts.backend ?? 'cli',
    cacheDir: opts.servers ? path.join(opts.cacheDir, server) : opts.cacheDir,
    networkTimeoutMs: 120_000,
    actor: server,
    deadlineMs: opts.deadlineMs ?? 600_000,
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
    ...(process.env.GITFLEET_TRACE === server || process.env.GITFLEET_TRACE === 'all' ? { logger: createLogger({ level: 'debug', base: { w: server } }) } : {}),
  });
}

function statusRecord(server, seq) {
  return { schemaVersion: 1, server, updatedAt: new Date().toISOString(), seq, health: { state: 'healthy' } };
}

const plans = {
  put: (server, seq) => () => new ChangeSet().put('status', statusRecord(server, seq)),
  claim: (server) => async (snap) => {
    const job = await snap.get('job', opts.jobId);
    if (!job) return abort('not-found', 'no such job');
    if (job.assignment) return abort('conflict', 'already claimed', { by: job.assignment.server });
    return new ChangeSet().put('job', {
      ...job,
      state: 'assigned',
      attempts: job.attempts + 1,
      assignment: { server, attempt: job.attempts + 1, claimId: Math.random().toString(16).slice(2, 18).padEnd(8, '0'), assignedAt: new Date().toISOString() },
    });
  },
};

async function write(server, store) {
  try {
    const results = [];
    for (let i = 1; i <= (opts.count ?? 1); i++) {
      const started = performance.now();
      const r = await store.transact(`${opts.mode} ${server} #${i}`, plans[opts.mode](server, i));
      results.push({ status: r.status, attempts: r.attempts, fetches: r.fetches, ms: performance.now() - started, reason: r.reason });
    }
    process.stdout.write(`${JSON.stringify({ ok: true, server, results })}\n`);
    await store.close();
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ ok: false, server, code: error.code, message: error.message })}\n`);
    process.exitCode = 1;
  }
}

const stores = servers.map((server) => [server, openWriter(server)]);
// Warm up before the start line, as a long-running agent would be: the cache holds
// the branch and the schemas are compiled. On a 2-core test machine, 200 cold starts
// at the same instant would otherwise measure node's JIT instead of the transaction.
for (const [, store] of stores) await store.snapshot().catch(() => undefined);
validateRecord('status', statusRecord(servers[0], 0));
validateRecord('job', {});
if (opts.wait) {
  process.stdout.write('ready\n');
  const rl = createInterface({ input: process.stdin });
  await new Promise((resolve) => rl.once('line', resolve));
  rl.close();
}
await Promise.all(stores.map(([server, store]) => write(server, store)));
