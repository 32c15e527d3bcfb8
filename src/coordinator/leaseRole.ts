import type { CoordinatorLease } from '../schema/types.js';
import { deadlineHolds, FUTURE_SLACK_MS, parseTime } from '../util/clockBounds.js';

/**
 * leader: the lease record names this coordinator with the epoch it holds (even if it
 * ran out: nobody else took it, so nobody else acted). take: nobody holds a live lease.
 * standby: another coordinator does; this one only watches.
 */
export type LeaseRole = 'leader' | 'take' | 'standby';

/** A lease is honoured for at most this many lease periods from now (a holder renews it every half period). */
export const LEASE_HONOUR_PERIODS = 3;
/** The longest lease fleet.json can ask for (its schema's bound), in seconds. */
const MAX_LEASE_SECONDS = 3600;

/** How far ahead a lease may run and still be honoured by a reader whose leases last `leaseSeconds`. */
export function maxLeaseAheadMs(leaseSeconds = MAX_LEASE_SECONDS): number {
  return LEASE_HONOUR_PERIODS * leaseSeconds * 1000;
}

/**
 * Whether a lease held by someone else still binds this reader: it runs until after
 * now, and not further than a few lease periods from now. A lease that runs until a
 * far-future date was not written by a coordinator (each writes now + one period); it
 * is treated as expired, or one hand-pushed file would make every coordinator stand by forever.
 */
export function leaseBinds(lease: CoordinatorLease, now: number, leaseSeconds?: number): boolean {
  return deadlineHolds(lease.leaseUntil, now, maxLeaseAheadMs(leaseSeconds));
}

export function leaseRole(lease: CoordinatorLease | null, holder: string, myEpoch: number | null, now: number, leaseSeconds?: number): LeaseRole {
  if (lease && lease.holder === holder && myEpoch !== null && lease.epoch === myEpoch) return 'leader';
  if (!lease || !leaseBinds(lease, now, leaseSeconds)) return 'take';
  return 'standby';
}

/** Why `validate` flags a lease (it runs implausibly far ahead of this reader's clock), or null. */
export function leaseProblem(lease: CoordinatorLease, now: number, leaseSeconds?: number): string | null {
  const until = parseTime(lease.leaseUntil);
  if (until === null)
    return `leaseUntil ${JSON.stringify(lease.leaseUntil.slice(0, 40))} is not a time this reader understands: the lease is treated as expired`;
  const limit = maxLeaseAheadMs(leaseSeconds) + FUTURE_SLACK_MS;
  if (until > now + limit)
    return `leaseUntil ${lease.leaseUntil} is more than ${Math.round(limit / 60_000)} min ahead of this reader's clock (${LEASE_HONOUR_PERIODS} lease periods plus slack): no coordinator honours it, the lease is treated as expired`;
  return null;
}

/**
 * The epoch after the one a lease record holds. An epoch no integer arithmetic can
 * step past (a hand-pushed 1e300) starts over at 1: leadership is decided by the
 * holder and the epoch together, so a fresh start stays fenced.
 */
export function nextEpoch(current: number | undefined): number {
  return current !== undefined && Number.isSafeInteger(current) && current >= 0 && current < Number.MAX_SAFE_INTEGER ? current + 1 : 1;
}

/**
 * Whether a leader with nothing to decide must push to renew its lease: only once less
 * than half of it is left (or its end cannot be read). An idle tick otherwise pushes
 * nothing, so an idle leader renews every renewalIntervalSeconds (src/settings/budgetProjection.ts),
 * not once a tick; half a lease leaves a whole tick of margin (tickSeconds ≤ leaseSeconds / 2).
 */
export function leaseRenewalDue(lease: CoordinatorLease | null, now: number, leaseSeconds: number): boolean {
  const until = lease ? parseTime(lease.leaseUntil) : null;
  return until === null || until - now < (leaseSeconds * 1000) / 2;
}
