import type { CoordinatorLease } from '../schema/types.js';

/**
 * leader: the lease record names this coordinator with the epoch it holds (even if it
 * ran out: nobody else took it, so nobody else acted). take: nobody holds a live lease.
 * standby: another coordinator does; this one only watches.
 */
export type LeaseRole = 'leader' | 'take' | 'standby';

export function leaseRole(lease: CoordinatorLease | null, holder: string, myEpoch: number | null, now: number): LeaseRole {
  if (lease && lease.holder === holder && myEpoch !== null && lease.epoch === myEpoch) return 'leader';
  if (!lease || !(Date.parse(lease.leaseUntil) > now)) return 'take';
  return 'standby';
}
