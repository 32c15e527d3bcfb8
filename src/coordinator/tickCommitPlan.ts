import type { CoordinatorLease } from '../schema/types.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { abort, decide, type Plan } from '../store/Plan.js';
import { archiveSharded } from '../store/archiveLayout.js';
import { recordPath } from '../store/recordPaths.js';
import { believedPast } from '../util/clockBounds.js';
import { leaseRole, nextEpoch, type LeaseRole } from './leaseRole.js';
import type { DecisionAction, JobDecision } from './planTick.js';

export interface TickCommitInput {
  holder: string;
  /** The role the tick was decided in: the lease on the fresh head must still give it. */
  expected: Exclude<LeaseRole, 'standby'>;
  /** The epoch the lease is written with (the held one, or the next one when taking over). */
  epoch: number;
  /** The epoch this coordinator held when the tick began (null: none). */
  heldEpoch: number | null;
  /** When this coordinator took the lease (ms), if it leads. */
  takenAt: number | null;
  leaseSeconds: number;
  /** The lease record's tick number if this commit lands (the coordinator's count plus one). */
  tick: number;
  decisions: readonly JobDecision[];
  /** The coordinator's own clock (injectable), for the lease as for every decision. */
  now: () => number;
}

/** What the tick wrote: the coordinator counts it only once the commit landed. */
export interface TickCommitValue {
  tick: number;
  decisions: Record<DecisionAction, number>;
  /** Decisions dropped because their job changed while the tick was being decided. */
  skipped: number;
}

export function noDecisions(): Record<DecisionAction, number> {
  return { assign: 0, lose: 0, refuse: 0, cancel: 0, dead: 0, archive: 0 };
}

/**
 * The coordinator's transaction: renew (or take) the lease and write every decision of
 * the tick. It re-reads the lease on the head it runs on, so a coordinator whose epoch
 * went stale writes nothing, and drops any decision whose job file is no longer the
 * blob it was decided on (an agent's start or completion wins; the job is reconsidered
 * next tick). Pure: it may run once per lost race, and what it wrote is its value.
 */
export function tickCommitPlan(input: TickCommitInput): Plan<TickCommitValue> {
  return async (snap) => {
    const now = input.now();
    const current = await snap.get('coordinator');
    const role = leaseRole(current ?? null, input.holder, input.heldEpoch, now, input.leaseSeconds);
    if (role === 'standby') return abort('lease-held', `the lease is held by ${current?.holder} (epoch ${current?.epoch}) until ${current?.leaseUntil}`);
    if (role !== input.expected || (role === 'take' && nextEpoch(current?.epoch) !== input.epoch))
      return abort('lease-held', 'the lease changed hands while this tick was decided');
    const lease: CoordinatorLease = {
      schemaVersion: 1,
      holder: input.holder,
      epoch: input.epoch,
      leaseUntil: new Date(now + input.leaseSeconds * 1000).toISOString(),
      takenAt: new Date(role === 'take' ? now : (input.takenAt ?? now)).toISOString(),
      renewedAt: new Date(now).toISOString(),
      tick: input.tick,
    };
    const changes = new ChangeSet().put('coordinator', lease);
    const decisions = noDecisions();
    let skipped = 0;
    const sharded = await archiveSharded(snap, 'job');
    for (const d of input.decisions) {
      // Still the blob it was decided on? (The diff from the tick's commit, by blob id.)
      if ((await snap.entry(recordPath('job', d.id)))?.oid !== d.baseOid) {
        skipped++;
        continue;
      }
      decisions[d.action]++;
      if (d.action === 'archive') {
        changes.delete('job', d.id);
        // The month it ended, unless that time lies ahead of this clock (then this month).
        const ended = believedPast(d.job.updatedAt ?? d.job.createdAt, now);
        changes.put('job', d.job, { archiveMonth: new Date(ended ?? now).toISOString().slice(0, 7), sharded });
      } else {
        changes.put('job', d.job);
      }
    }
    return decide(changes, { tick: input.tick, decisions, skipped });
  };
}
