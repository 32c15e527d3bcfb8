// npm run bench:cli — what one run of the built CLI costs, process start included, against
// `node -e 0` measured in the same run (and, for `status`, against a bare `git fetch`), the
// cases taking turns round after round so that all of them see the same machine load:
// --version and --help, `status` on a 50-server fleet over loopback, and a one-shot
// `agent --once --now --simulate` with a warm cache.
//   --runs 15   runs per case (median and p95 reported)
//   --bin dist/single/gitfleet.mjs   measure another build of the CLI
//   --against /tmp/old/dist/gitfleet.js   also run `status` and the agent with this build (an
//                                          earlier commit's), in the same turns: before and after
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { GitHttpServer } from '../../src/git/server/GitHttpServer.js';
import { machineInfo, percentile, ratio, table } from './benchUtil.js';

const args = process.argv.slice(2);
const RUNS = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : 15);
const SERVERS = 50;
// npm runs scripts from the package root (repoRoot() would follow the node_modules symlink of a worktree).
// The installed `gitfleet` (package.json "bin"): the CommonJS launcher (src/cli/launcher.ts).
const BIN = path.resolve(args.includes('--bin') ? args[args.indexOf('--bin') + 1]! : 'dist/gitfleet.cjs');
const AGAINST = args.includes('--against') ? path.resolve(args[args.indexOf('--against') + 1]!) : undefined;
const work = mkdtempSync(path.join(os.tmpdir(), 'gitfleet-bench-cli-'));
// A clean environment for every run, the baseline included (no GITFLEET_*, no NODE_OPTIONS or NODE_EXTRA_CA_CERTS, which alone adds ~30 ms to any node start).
const env: Record<string, string> = { HOME: work, PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

interface Sample {
  wall: number;
  cpu: number;
}

/**
 * CPU of a child process tree, honestly: Node 20 cannot report a child's rusage, and
 * process.cpuUsage()/resourceUsage() only see this process. So each run goes through a
 * tiny python3 wrapper that spawns it and reads its rusage from wait4(): user+sys in µs,
 * including the git processes the child ran and reaped, excluding the wrapper itself, with
 * the wall time taken in the wrapper around the same spawn. Without python3 we fall back
 * to the cutime+cstime delta of /proc/self/stat (10 ms ticks: coarser, same meaning) and
 * wall time around our own spawn.
 */
const WRAPPER = `import os, sys, time
t = time.monotonic()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ)
_, status, ru = os.wait4(pid, 0)
w = time.monotonic() - t
sys.stderr.write("\\nRUSAGE %f %f\\n" % (w, ru.ru_utime + ru.ru_stime))
sys.exit(os.waitstatus_to_exitcode(status))`;
const PYTHON = spawnSync('python3', ['-c', WRAPPER, 'true']).status === 0 ? 'python3' : null;

function childTicks(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

// Asynchronous (not spawnSync): the git server the runs talk to lives in this process.
async function measure(command: string, argv: readonly string[], cwd = work): Promise<Sample> {
  const before = childTicks();
  const started = performance.now();
  const child = PYTHON ? spawn(PYTHON, ['-c', WRAPPER, command, ...argv], { cwd, env }) : spawn(command, argv, { cwd, env });
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wall = (performance.now() - started) / 1000;
  if (status !== 0) throw new Error(`${command} ${argv.join(' ')} exited ${status}: ${stderr}`);
  const rusage = /\nRUSAGE (\S+) (\S+)\n$/.exec(stderr);
  return rusage ? { wall: Number(rusage[1]), cpu: Number(rusage[2]) } : { wall, cpu: childTicks() - before };
}

const gitfleet = (...argv: string[]): readonly [string, string[]] => [process.execPath, [BIN, ...argv]];
const against = (...argv: string[]): readonly [string, string[]] => [process.execPath, [AGAINST!, ...argv]];
const stat = (samples: Sample[], key: keyof Sample) => ({
  p50: percentile(
    samples.map((s) => s[key]),
    50,
  ),
  p95: percentile(
    samples.map((s) => s[key]),
    95,
  ),
});

// The fleet: a bare repository served over loopback HTTP, initialised, 50 servers reporting.
const root = path.join(work, 'remote');
await createBareRepo(path.join(root, 'fleet.git'), 'main');
const server = await new GitHttpServer({ projectRoot: root }).start();
const url = `${server.url}/fleet.git`;
try {
  const fleetArgs = (name: string) => ['--repo', url, '--cache-dir', path.join(work, `cache-${name}`), '--data-dir', path.join(work, `data-${name}`)];
  const node0 = process.execPath;
  const nodeArgs = ['-e', '0'];
  await measure(...gitfleet('init', ...fleetArgs('op')));
  for (let i = 0; i < SERVERS; i++) {
    const id = `srv-${String(i).padStart(2, '0')}`;
    await measure(...gitfleet('agent', '--once', '--now', '--simulate', '--server', id, ...fleetArgs(id)));
  }
  // A bare `git fetch` of the same repository from a warm clone: the floor under `status`.
  const clone = path.join(work, 'clone.git');
  await measure('git', ['clone', '--quiet', '--bare', url, clone]);

  // Every round runs each case once, in turn: on a machine shared with other work the load
  // drifts, and the baselines must see the same load as the runs they are compared with.
  const p50 = (s: Sample[], k: keyof Sample) => stat(s, k).p50;
  /** `status` and the one-shot agent of one build, with their targets. */
  const commandCases = (label: string, cli: typeof gitfleet, operator: string, server: string) => [
    {
      name: `${label}gitfleet status (${SERVERS} servers, loopback)`,
      run: cli('status', ...fleetArgs(operator)),
      target: '≤ 2× node + 1 fetch (wall)',
      check: (s: Sample[], b: Sample[], f: Sample[]) => p50(s, 'wall') <= 2 * p50(b, 'wall') + p50(f, 'wall'),
    },
    {
      name: `${label}gitfleet agent --once --now --simulate`,
      run: cli('agent', '--once', '--now', '--simulate', '--server', server, ...fleetArgs(server)),
      target: '≤ 0.3 s CPU',
      check: (s: Sample[]) => p50(s, 'cpu') <= 0.3,
    },
  ];
  const plan: { name: string; run: readonly [string, string[]]; target?: string; check?: (s: Sample[], base: Sample[], fetch: Sample[]) => boolean }[] = [
    { name: 'node -e 0 (baseline)', run: [node0, nodeArgs] },
    // A bare `git fetch` of the same repository from a warm clone: the "one fetch" of the target.
    { name: 'git fetch (same repository, warm)', run: ['git', ['-C', clone, 'fetch', '--quiet', 'origin']] },
    {
      name: 'gitfleet --version',
      run: gitfleet('--version'),
      target: '≤ 1.5× node (wall)',
      check: (s, b) => p50(s, 'wall') <= 1.5 * p50(b, 'wall'),
    },
    {
      name: 'gitfleet --help',
      run: gitfleet('--help'),
      target: '≤ 1.5× node (wall)',
      check: (s, b) => p50(s, 'wall') <= 1.5 * p50(b, 'wall'),
    },
    ...commandCases('', gitfleet, 'op', 'srv-00'),
  ];
  if (AGAINST) {
    // The other build reads and writes through caches of its own.
    plan.push(...commandCases('against: ', against, 'op-against', 'srv-01'));
    await measure(...against('status', ...fleetArgs('op-against'))); // its own warm cache
  }
  for (const c of plan) await measure(...c.run); // warm the page cache; not counted
  const samples = plan.map((): Sample[] => []);
  for (let i = 0; i < RUNS; i++) for (const [j, c] of plan.entries()) samples[j]!.push(await measure(...c.run));
  const base = samples[0]!;
  const fetch = samples[1]!;
  const cases = plan.slice(2).map((c, j) => ({ name: c.name, samples: samples[j + 2]!, target: c.target!, check: c.check! }));

  const s = (x: number) => `${x.toFixed(3)} s`;
  const row = (name: string, samples: Sample[], target = '', ok = '') => {
    const w = stat(samples, 'wall');
    const c = stat(samples, 'cpu');
    return [name, s(w.p50), s(w.p95), s(c.p50), s(c.p95), ratio(w.p50 / stat(base, 'wall').p50), ratio(c.p50 / stat(base, 'cpu').p50), target, ok];
  };
  console.log(
    `bench:cli — ${RUNS} runs per case (median, p95); CPU = user+sys of the process tree (${PYTHON ? 'wait4 rusage via python3' : '/proc cutime, 10 ms ticks'}); ${machineInfo()}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  console.log(
    table(
      ['case', 'wall p50', 'wall p95', 'CPU p50', 'CPU p95', 'wall ÷ node', 'CPU ÷ node', 'target', 'met'],
      [
        row('node -e 0 (baseline)', base),
        row('git fetch (same repository, warm)', fetch),
        ...cases.map((c) => row(c.name, c.samples, c.target, c.check(c.samples, base, fetch) ? 'yes' : 'no')),
      ],
    ),
  );
  const status = cases.find((c) => c.name.startsWith('gitfleet status'))!;
  const goal = 2 * p50(base, 'wall') + p50(fetch, 'wall');
  console.log(
    `\nstatus: ${s(p50(status.samples, 'wall'))} wall against 2 × ${s(p50(base, 'wall'))} + ${s(p50(fetch, 'wall'))} = ${s(goal)} (${ratio(p50(status.samples, 'wall') / goal)} the target)`,
  );
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
