/**
 * npm run bench:chaos — issue 5's chaos run at full size: 20 agent processes, 500 jobs
 * of 1-10 s (5 % always fail), an agent SIGKILLed (and restarted) every 15 s, the
 * coordinator holding the lease SIGKILLed (a standby takes over), the git server down
 * for 30 s. Prints the invariants and the time to drain the queue against the ideal
 * (the work divided by the slots, as if nothing went wrong and nothing cost anything).
 * BENCH_AGENTS, BENCH_JOBS override the size.
 */
import { runChaos } from '../../tests/helpers/runChaos.js';
import { cleanupTempDirs } from '../../tests/helpers/tempDir.js';
import { machineInfo, table } from './benchUtil.js';

const agents = Number(process.env.BENCH_AGENTS ?? 20);
const jobs = Number(process.env.BENCH_JOBS ?? 500);
const slots = 2;
console.log(`# bench:chaos\n\n${machineInfo()}\n\n${agents} agents x ${slots} slots, ${jobs} jobs\n`);
const started = Date.now();
const report = await runChaos({
  agents,
  slots,
  jobs,
  failingShare: 0.05,
  jobSeconds: [1, 10],
  agentKillEveryMs: 15_000,
  coordinatorKillAtMs: 30_000,
  outageAtMs: 60_000,
  outageMs: 30_000,
  timeoutMs: 30 * 60_000,
  // Sized for 2 cores carrying 20 agents, 2 coordinators and the git server: heartbeats
  // every 10 s, dead after 30 s, a 15 s lease, agents polling for jobs every 2 s.
  settings: {
    heartbeat: { periodSeconds: 10, sampleSeconds: 5, suspectAfterPeriods: 2, deadAfterPeriods: 3, skipUnchanged: false },
    coordinator: { leaseSeconds: 15, tickSeconds: 2 },
  },
  pollSeconds: 2,
  log: (line) => console.log(`    ${line}`),
});
cleanupTempDirs();
const ideal = report.workSeconds / (agents * slots);
const ok = (list: string[]) => (list.length === 0 ? 'none' : `${list.length}: ${list.slice(0, 5).join(', ')}`);
console.log(
  `\n${table(
    ['check', 'result'],
    [
      ['jobs terminal', `${report.succeeded + report.dead + report.cancelled} of ${report.submitted}`],
      ['not terminal at the end', ok(report.unfinished)],
      ['lost (missing from the repository)', ok(report.missing)],
      ['two successes applied (or success without one)', ok(report.doubleSuccess)],
      ['dead without using up their attempts, or the reverse', ok(report.wrongDead)],
      ['succeeded / dead / cancelled', `${report.succeeded} / ${report.dead} / ${report.cancelled}`],
      ['always-failing jobs dead after exactly 2 attempts', `${report.expectedFailuresDead} of ${Math.round(jobs * 0.05)}`],
      ['leases lost (failed over) / late results rejected by fencing', `${report.lostLeases} / ${report.staleResults}`],
      [
        'agent SIGKILLs / coordinator SIGKILLs / outages',
        `${report.agentKills} / ${report.coordinatorKills} / ${report.outages} (final lease epoch ${report.finalEpoch})`,
      ],
      ['time to drain the queue', `${(report.drainMs / 1000).toFixed(1)} s`],
      ['ideal (work / slots)', `${ideal.toFixed(1)} s -> drain is ${(report.drainMs / 1000 / ideal).toFixed(2)}× the ideal`],
    ],
  )}\n`,
);
console.log(`whole run ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (report.unfinished.length || report.missing.length || report.doubleSuccess.length || report.wrongDead.length) {
  console.log(JSON.stringify(report.evidence.slice(0, 3), null, 1));
  process.exitCode = 1;
}
