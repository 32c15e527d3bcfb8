import { afterAll, describe, expect, it } from 'vitest';
import { runChaos } from '../helpers/runChaos.js';
import { cleanupTempDirs } from '../helpers/tempDir.js';

// The small version of `npm run bench:chaos`: real processes, SIGKILLs, a coordinator
// failover and a short outage of the git server.
describe('chaos (small): agents and the coordinator killed, the remote down', () => {
  afterAll(() => cleanupTempDirs());

  it('ends with every job terminal, none lost, none succeeded twice, and exactly the used-up jobs dead', async () => {
    const lines: string[] = [];
    const report = await runChaos({
      agents: 4,
      slots: 2,
      jobs: 40,
      failingShare: 0.1,
      jobSeconds: [0.2, 2],
      agentKillEveryMs: 6_000,
      coordinatorKillAtMs: 4_000,
      outageAtMs: 12_000,
      outageMs: 6_000,
      timeoutMs: 150_000,
      log: (l) => lines.push(l),
    });
    const context = `${JSON.stringify(report)}\n${lines.join('\n')}`;
    expect(report.unfinished, context).toEqual([]);
    expect(report.missing, context).toEqual([]);
    expect(report.doubleSuccess, context).toEqual([]);
    expect(report.wrongDead, context).toEqual([]);
    expect(report.expectedFailuresDead, context).toBe(4);
    expect(report.succeeded + report.dead + report.cancelled).toBe(40);
    expect(report.agentKills).toBeGreaterThanOrEqual(2);
    expect(report.coordinatorKills).toBe(1);
    expect(report.outages).toBe(1);
    // A coordinator held the lease at the end: the standby (a new epoch), or the killed one
    // resuming its own epoch from its state file if it came back first. Both are correct;
    // tests/e2e/coordinatorLease.test.ts checks the takeover itself.
    expect(report.finalEpoch).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
