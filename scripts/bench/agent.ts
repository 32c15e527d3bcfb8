// npm run bench:agent — the agent: cost per cycle, memory over 1,000 cycles, 200 agents
// with slotted heartbeats against the same 200 all firing at :00, and repository growth
// over a simulated day (before and after compaction).
//   --only cycle,rss,fleet,growth   run some sections
//   --agents 200 --periods 2        size of the fleet section
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Agent } from '../../src/agent/Agent.js';
import { AGENT_CACHE_BYTES, createAgent } from '../../src/config/createAgent.js';
import { createStore } from '../../src/config/createStore.js';
import { resolveAgentConfig } from '../../src/config/resolveAgentConfig.js';
import { resolveConfig } from '../../src/config/resolveConfig.js';
import { openFleet } from '../../src/config/openFleet.js';
import { compactHistory } from '../../src/fleet/compactHistory.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import type { Store } from '../../src/store/Store.js';
import { simulatedCollector } from '../../src/status/simulatedCollector.js';
import { slotOffsetMs } from '../../src/status/heartbeatSchedule.js';
import { systemCollector } from '../../src/status/systemCollector.js';
import { silentLogger } from '../../src/util/logger.js';
import { buildDayOfStatus } from './simulatedDay.js';
import { machineInfo, ms, percentile, table } from './benchUtil.js';
import { cpuSecondsWithChildren } from './procCpu.js';

const run = promisify(execFile);
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : fallback);
const only = new Set(flag('only', 'cycle,rss,fleet,growth').split(','));
const AGENTS = Number(flag('agents', '200'));
const PERIODS = Number(flag('periods', '2'));
const CYCLES = Number(flag('cycles', '1000'));
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'gitfleet-bench-agent-'));
let n = 0;

async function remote(settings: Parameters<typeof initFleetPlan>[0], allowRewrite = false) {
  const root = path.join(work, `remote-${n++}`);
  await createBareRepo(path.join(root, 'fleet.git'), 'main', { allowRewrite });
  const server = await new GitHttpServer({ projectRoot: root }).start();
  const url = `${server.url}/fleet.git`;
  const s = store(url, 'op:bench');
  await s.transact('init', initFleetPlan(settings), { createBranch: true });
  await s.close();
  return { url, server, bareDir: path.join(root, 'fleet.git') };
}

function store(url: string, actor: string): Store {
  const cacheDir = path.join(work, `cache-${n++}`);
  // As `gitfleet agent` runs it.
  return createStore({ remote: url, cacheDir, actor, outboxDir: `${cacheDir}-outbox`, recordCacheBytes: AGENT_CACHE_BYTES });
}

function agent(url: string, server: string, real: boolean): Agent {
  return createAgent({
    server,
    store: store(url, server),
    collector: real ? systemCollector() : simulatedCollector(server),
    logger: silentLogger,
    mode: real ? 'daemon' : 'simulated',
    stateFile: path.join(work, `state-${n++}.json`),
    remoteUrl: url,
    // No job kinds: the agent runs no jobs.
    config: resolveAgentConfig({ labels: ['bench'] }, work, work),
  }).agent;
}

console.log(`# bench:agent\n\nmachine: ${machineInfo()}\n`);

if (only.has('cycle')) {
  const r = await remote({ pushBudget: { pushesPerMinute: 6000 } });
  const a = agent(r.url, 'cycle-01', true);
  await a.cycle({ force: true });
  const measure = async (count: number, force: boolean) => {
    const walls: number[] = [];
    const cpu0 = cpuSecondsWithChildren();
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      await a.cycle(force ? { force: true, reason: 'bench' } : { heartbeat: false });
      walls.push(performance.now() - t);
    }
    return { wall: walls, cpuMs: ((cpuSecondsWithChildren() - cpu0) * 1000) / count };
  };
  const quiet = await measure(30, false);
  const pushing = await measure(30, true);
  await r.server.stop();
  console.log('## Cost of one agent cycle (real collector, loopback HTTP remote)\n');
  console.log(
    table(
      ['cycle', 'wall p50', 'wall p95', 'CPU per cycle (agent, its git processes and the loopback git server)'],
      [
        ['sample only (nothing to publish)', ms(percentile(quiet.wall, 50)), ms(percentile(quiet.wall, 95)), ms(quiet.cpuMs)],
        ['sample and publish', ms(percentile(pushing.wall, 50)), ms(percentile(pushing.wall, 95)), ms(pushing.cpuMs)],
      ],
    ),
  );
  console.log();
}

if (only.has('rss')) {
  const r = await remote({ pushBudget: { pushesPerMinute: 6000 } });
  const a = agent(r.url, 'rss-01', false);
  const marks: (string | number)[][] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 1; i <= CYCLES; i++) {
    await a.cycle({ force: true, reason: 'bench' });
    if ([10, 100, 250, 500, 750, 1000, 1500, 2000, 3000, 4000, 5000, 6000].includes(i)) {
      gc?.();
      const m = process.memoryUsage();
      marks.push([i, `${(m.rss / 2 ** 20).toFixed(1)} MiB`, `${(m.heapUsed / 2 ** 20).toFixed(1)} MiB`]);
    }
  }
  await r.server.stop();
  console.log(`## Memory over ${CYCLES.toLocaleString('en')} publishing cycles${gc ? '' : ' (run node with --expose-gc for steadier figures)'}\n`);
  console.log(table(['cycles', 'RSS', 'heap used'], marks));
  console.log();
}

if (only.has('fleet')) {
  const PERIOD = 60_000;
  const rows: (string | number)[][] = [];
  for (const mode of ['slotted', 'all at :00'] as const) {
    const r = await remote({ heartbeat: { periodSeconds: 60, adaptive: false }, pushBudget: { pushesPerMinute: 6000 } });
    const agents = Array.from({ length: AGENTS }, (_, i) => agent(r.url, `fleet-${String(i).padStart(3, '0')}`, false));
    // Prime caches (a few at a time), as agents that have been running would be.
    for (let i = 0; i < agents.length; i += 10) await Promise.all(agents.slice(i, i + 10).map((a) => a.cycle({ force: true, reason: 'prime' })));
    const start = Math.ceil((Date.now() + 5_000) / PERIOD) * PERIOD;
    const results: { attempts: number; delay: number; landed: boolean }[] = [];
    await Promise.all(
      agents.map(async (a) => {
        for (let p = 0; p < PERIODS; p++) {
          const at = start + p * PERIOD + (mode === 'slotted' ? slotOffsetMs(a.server, PERIOD) : 0);
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
          const report = await a.cycle({ force: true, reason: 'heartbeat' });
          results.push({ attempts: report.result?.attempts ?? 0, delay: Date.now() - at, landed: report.result?.status === 'committed' });
        }
      }),
    );
    await r.server.stop();
    const attempts = results.reduce((s, x) => s + x.attempts, 0);
    const landed = results.filter((x) => x.landed).length;
    const delays = results.map((x) => x.delay);
    rows.push([
      mode,
      `${landed}/${results.length}`,
      `${(((attempts - landed) / attempts) * 100).toFixed(1)} %`,
      `${(percentile(delays, 50) / 1000).toFixed(2)} s`,
      `${(percentile(delays, 95) / 1000).toFixed(2)} s`,
      `${(Math.max(...delays) / 1000).toFixed(1)} s`,
    ]);
  }
  console.log(`## ${AGENTS} agents, one heartbeat each per 60 s period, ${PERIODS} periods (all agents in one process on this machine)\n`);
  console.log(table(['schedule', 'landed', 'pushes rejected', 'landing delay p50', 'p95', 'max'], rows));
  console.log();
}

if (only.has('growth')) {
  const SERVERS = Number(flag('servers', '100'));
  const MINUTES = Number(flag('minutes', '1440'));
  const r = await remote({ pushBudget: { pushesPerMinute: 6000 } }, true);
  const t0 = performance.now();
  await buildDayOfStatus(r.bareDir, SERVERS, MINUTES);
  const generated = performance.now() - t0;
  const size = async () => {
    await run('git', ['--git-dir', r.bareDir, 'gc', '--prune=now', '--quiet']);
    const out = (await run('git', ['--git-dir', r.bareDir, 'count-objects', '-v'])).stdout;
    const kib = Number(/size-pack: (\d+)/.exec(out)![1]) + Number(/size: (\d+)/.exec(out)![1]);
    return kib / 1024;
  };
  const cloneTime = async (depth: boolean) => {
    const dir = path.join(work, `clone-${n++}`);
    const t = performance.now();
    await run('git', ['clone', '--quiet', '--bare', ...(depth ? ['--depth=1'] : []), r.url, dir]);
    const elapsed = performance.now() - t;
    await fs.rm(dir, { recursive: true, force: true });
    return elapsed;
  };
  const commits = async () => Number((await run('git', ['--git-dir', r.bareDir, 'rev-list', '--count', 'main'])).stdout.trim());
  const before = { commits: await commits(), size: await size(), shallow: await cloneTime(true), full: await cloneTime(false) };
  const config = resolveConfig({ repo: r.url, cacheDir: path.join(work, 'compact-cache'), dataDir: path.join(work, 'compact-data') }, {});
  const fleet = openFleet(config, { actor: 'op:bench' });
  const head = (await run('git', ['--git-dir', r.bareDir, 'log', '-1', '--format=%ct', 'main'])).stdout.trim();
  const t1 = performance.now();
  const result = await compactHistory(fleet.store, { before: new Date((Number(head) - 3600) * 1000) });
  const compactMs = performance.now() - t1;
  const after = { commits: await commits(), size: await size(), shallow: await cloneTime(true), full: await cloneTime(false) };
  await r.server.stop();
  console.log(
    `## Repository growth: ${SERVERS} servers reporting every minute for a simulated day (${(SERVERS * MINUTES).toLocaleString('en')} commits, generated in ${(generated / 1000).toFixed(0)} s)\n`,
  );
  console.log(
    table(
      ['', 'commits', 'repository size (after git gc)', 'shallow clone (--depth 1)', 'full clone'],
      [
        ['after one day', before.commits.toLocaleString('en'), `${before.size.toFixed(1)} MiB`, ms(before.shallow), ms(before.full)],
        [
          `after compact (keep the last hour; took ${(compactMs / 1000).toFixed(1)} s)`,
          after.commits.toLocaleString('en'),
          `${after.size.toFixed(1)} MiB`,
          ms(after.shallow),
          ms(after.full),
        ],
      ],
    ),
  );
  console.log(`\ncompaction folded ${result.squashed.toLocaleString('en')} commits and kept ${result.kept.toLocaleString('en')}.\n`);
}
await fs.rm(work, { recursive: true, force: true });
process.exit(0);
