import { attemptsUsed } from '../../src/jobs/jobLifecycle.js';
import type { FleetSettings, Job } from '../../src/schema/types.js';
import { FAST_FLEET, JobFleet, waitFor } from './jobFleet.js';

export interface ChaosOptions {
  agents: number;
  slots: number;
  jobs: number;
  /** Share of jobs that always fail (they must end dead, after exactly their attempts). */
  failingShare: number;
  jobSeconds: [number, number];
  /** SIGKILL a random agent (and restart it 2 s later) this often. */
  agentKillEveryMs: number;
  /** SIGKILL the coordinator holding the lease at this point (ms after the jobs are in). */
  coordinatorKillAtMs: number;
  /** Stop the git server for this long, starting at outageAtMs. */
  outageAtMs: number;
  outageMs: number;
  timeoutMs: number;
  settings?: Partial<FleetSettings>;
  /** How often each agent polls for jobs (default 0.5 s). */
  pollSeconds?: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  submitted: number;
  succeeded: number;
  dead: number;
  cancelled: number;
  /** Jobs that are not terminal at the end (must be empty). */
  unfinished: string[];
  /** Submitted jobs missing from the repository (must be empty). */
  missing: string[];
  /** Jobs with more than one applied success, or succeeded without one (must be empty). */
  doubleSuccess: string[];
  /** Dead jobs that did not use up their attempts, and used-up jobs that are not dead (must be empty). */
  wrongDead: string[];
  expectedFailuresDead: number;
  staleResults: number;
  lostLeases: number;
  agentKills: number;
  coordinatorKills: number;
  outages: number;
  finalEpoch: number | null;
  drainMs: number;
  /** Seconds of work submitted (sum of the jobs' sleep), for the ideal drain time. */
  workSeconds: number;
  /** The records of the jobs behind any failed check, to see what happened. */
  evidence: Job[];
}

/**
 * The chaos run of issue 5: real agent and coordinator processes, agents SIGKILLed and
 * restarted at random, the lease holder SIGKILLed, the git server down for a while;
 * then checks that every job is terminal, none lost, none succeeded twice, and that
 * exactly the jobs that used up their attempts are dead.
 */
export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const log = o.log ?? (() => undefined);
  const fleet = await JobFleet.start({ ...FAST_FLEET, ...o.settings });
  try {
    const agents = Array.from({ length: o.agents }, (_, i) => `chaos-${String(i + 1).padStart(2, '0')}`);
    const agentOptions = { slots: o.slots, ...(o.pollSeconds ? { pollSeconds: o.pollSeconds } : {}) };
    for (const a of agents) fleet.startAgent(a, agentOptions);
    fleet.startCoordinator('coord-1');
    fleet.startCoordinator('coord-2');
    const ready = await waitFor(async () => (await (await fleet.store.snapshot()).list('status')).records.length === o.agents, 120_000, 1000);
    if (!ready) throw new Error('the agents did not all report within 120 s');
    const failing = Math.round(o.jobs * o.failingShare);
    const [lo, hi] = o.jobSeconds;
    const inputs = Array.from({ length: o.jobs }, (_, i) =>
      i < failing
        ? { kind: 'fail', params: { seconds: '0.2' }, maxAttempts: 2 }
        : {
            kind: 'work',
            params: { seconds: (lo + Math.random() * (hi - lo)).toFixed(1) },
            maxAttempts: 10,
            priority: (['critical', 'high', 'normal', 'low'] as const)[i % 4],
          },
    );
    const submitted = await fleet.submitMany(inputs);
    const failingIds = new Set(submitted.slice(0, failing).map((j) => j.id));
    const t0 = Date.now();
    log(`submitted ${submitted.length} jobs (${failing} always fail) to ${o.agents} agents x ${o.slots} slots`);

    let done = false;
    const counts = { agentKills: 0, coordinatorKills: 0, outages: 0 };
    const chaos = (async () => {
      let nextKill = t0 + o.agentKillEveryMs;
      let coordinatorKilled = false;
      let outageDone = false;
      while (!done) {
        const now = Date.now();
        if (now >= nextKill) {
          const victim = agents[Math.floor(Math.random() * agents.length)]!;
          log(`+${((now - t0) / 1000).toFixed(0)} s: SIGKILL ${victim}`);
          await fleet.kill(victim);
          counts.agentKills++;
          setTimeout(() => !done && fleet.startAgent(victim, agentOptions), 2_000);
          nextKill = now + o.agentKillEveryMs;
        }
        if (!coordinatorKilled && now - t0 >= o.coordinatorKillAtMs) {
          coordinatorKilled = true;
          const holder = await (await fleet.store.snapshot()).get('coordinator').catch(() => undefined);
          const victim = holder?.holder ?? 'coord-1';
          log(`+${((now - t0) / 1000).toFixed(0)} s: SIGKILL coordinator ${victim} (epoch ${holder?.epoch})`);
          await fleet.kill(victim);
          counts.coordinatorKills++;
          setTimeout(() => !done && fleet.startCoordinator(victim), 5_000);
        }
        if (!outageDone && o.outageMs > 0 && now - t0 >= o.outageAtMs) {
          outageDone = true;
          log(`+${((now - t0) / 1000).toFixed(0)} s: git server down for ${o.outageMs / 1000} s`);
          await fleet.remote.server.stop();
          await new Promise((r) => setTimeout(r, o.outageMs));
          await fleet.remote.server.start();
          counts.outages++;
          log(`+${((Date.now() - t0) / 1000).toFixed(0)} s: git server back`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    const ids = submitted.map((j) => j.id);
    let jobs: Job[] = [];
    const finished = await waitFor(
      async () => {
        jobs = await fleet.jobs().catch(() => jobs);
        const byId = new Map(jobs.map((j) => [j.id, j]));
        return ids.every((id) => ['succeeded', 'cancelled', 'dead'].includes(byId.get(id)?.state ?? ''));
      },
      o.timeoutMs,
      1000,
    );
    const drainMs = Date.now() - t0;
    done = true;
    await chaos;
    log(`${finished ? 'all terminal' : 'TIMED OUT'} after ${(drainMs / 1000).toFixed(1)} s`);
    const byId = new Map(jobs.map((j) => [j.id, j]));
    const report: ChaosReport = {
      submitted: ids.length,
      succeeded: 0,
      dead: 0,
      cancelled: 0,
      unfinished: [],
      missing: [],
      doubleSuccess: [],
      wrongDead: [],
      expectedFailuresDead: 0,
      staleResults: 0,
      lostLeases: 0,
      ...counts,
      finalEpoch: (await (await fleet.store.snapshot()).get('coordinator'))?.epoch ?? null,
      drainMs,
      workSeconds: inputs.reduce((sum, i) => sum + Number(i.params.seconds), 0),
      evidence: [],
    };
    for (const id of ids) {
      const job = byId.get(id);
      if (!job) {
        report.missing.push(id);
        continue;
      }
      if (job.state === 'succeeded') report.succeeded++;
      else if (job.state === 'dead') report.dead++;
      else if (job.state === 'cancelled') report.cancelled++;
      else report.unfinished.push(id);
      const successes = (job.history ?? []).filter((h) => h.outcome === 'succeeded').length;
      if (successes > 1 || (job.state === 'succeeded') !== (successes === 1)) report.doubleSuccess.push(id);
      // Dead exactly when the attempts are used up (the last one failed or was lost).
      const usedUp = attemptsUsed(job) >= (job.maxAttempts ?? 3);
      // (A late result recorded after the end is not an attempt.)
      const last = (job.history ?? []).filter((h) => h.outcome !== 'stale-result').at(-1);
      const lastFailed = ['failed', 'timeout', 'lost'].includes(last?.outcome ?? '');
      if ((job.state === 'dead') !== (usedUp && lastFailed)) report.wrongDead.push(id);
      if (job.state === 'dead' && failingIds.has(id)) report.expectedFailuresDead++;
      report.staleResults += (job.history ?? []).filter((h) => h.outcome === 'stale-result').length;
      report.lostLeases += job.lostLeases ?? 0;
    }
    for (const id of new Set([...report.doubleSuccess, ...report.wrongDead])) report.evidence.push(byId.get(id)!);
    return report;
  } finally {
    await fleet.close();
  }
}
