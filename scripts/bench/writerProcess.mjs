#!/usr/bin/env node
// One independent writer, as one server would be: its own process, its own cache.
// Used by the concurrency tests and by `npm run bench:store`.
//
//   node scripts/bench/writerProcess.mjs '<json options>'
//
// options: { url, backend, cacheDir, server, mode, deadlineMs, token, wait, count, jobId }
//   mode "put":   write status/<server>.json (count times)
//   mode "claim": claim jobs/<jobId>.json unless it is already claimed
// With wait:true it prints "ready" once its cache is primed, then waits for a line on
// stdin, so that a parent can release many writers at the same instant.
// The last line of stdout is a JSON summary.
import { createInterface } from 'node:readline';
import { ChangeSet, CacheLock, Store, abort, createBackend, createLogger, parseRemote, validateRecord } from '../../dist/index.js';

const opts = JSON.parse(process.argv[2] ?? '{}');
const cacheDir = opts.cacheDir;
const backend = createBackend({
  kind: opts.backend ?? 'cli',
  remote: parseRemote(opts.url, opts.token),
  branch: 'main',
  cacheDir,
  networkTimeoutMs: 120_000,
});
const store = new Store({
  backend,
  actor: opts.server,
  lock: new CacheLock(cacheDir),
  deadlineMs: opts.deadlineMs ?? 600_000,
  backoff: opts.backoff,
  ...(process.env.GITFLEET_TRACE === opts.server ? { logger: createLogger({ level: 'debug' }) } : {}),
});

function statusRecord(seq) {
  return { schemaVersion: 1, server: opts.server, updatedAt: new Date().toISOString(), seq, health: { state: 'healthy' } };
}

const plans = {
  put: (seq) => () => new ChangeSet().put('status', statusRecord(seq)),
  claim: () => async (snap) => {
    const job = await snap.get('job', opts.jobId);
    if (!job) return abort('no such job');
    if (job.assignment) return abort('already claimed', { by: job.assignment.server });
    return new ChangeSet().put('job', {
      ...job,
      state: 'assigned',
      attempts: job.attempts + 1,
      assignment: { server: opts.server, attempt: job.attempts + 1, claimId: Math.random().toString(16).slice(2, 18).padEnd(8, '0'), assignedAt: new Date().toISOString() },
    });
  },
};

try {
  // Warm up before the start line, as a long-running agent would be: the cache holds
  // the branch and the schemas are compiled. On a 2-core test machine, 200 cold starts
  // at the same instant would otherwise measure node's JIT instead of the transaction.
  await store.snapshot().catch(() => undefined);
  validateRecord('status', statusRecord(0));
  validateRecord('job', {});
  if (opts.wait) {
    process.stdout.write('ready\n');
    const rl = createInterface({ input: process.stdin });
    await new Promise((resolve) => rl.once('line', resolve));
    rl.close();
  }
  const results = [];
  const count = opts.count ?? 1;
  for (let i = 1; i <= count; i++) {
    const started = performance.now();
    const r = await store.transact(`${opts.mode} ${opts.server} #${i}`, plans[opts.mode](i));
    results.push({ status: r.status, attempts: r.attempts, ms: performance.now() - started, reason: r.reason });
  }
  process.stdout.write(`${JSON.stringify({ ok: true, server: opts.server, results })}\n`);
  await store.close();
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, server: opts.server, code: error.code, message: error.message })}\n`);
  process.exitCode = 1;
}
