import { describe, expect, it } from 'vitest';
import type { CoordinatorLease } from '../schema/types.js';
import { leaseRole } from './leaseRole.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');

function lease(holder: string, epoch: number, untilOffsetMs: number): CoordinatorLease {
  return { schemaVersion: 1, holder, epoch, leaseUntil: new Date(NOW + untilOffsetMs).toISOString(), takenAt: new Date(NOW - 60_000).toISOString() };
}

describe('leaseRole', () => {
  it('leader when the lease names this coordinator with its epoch, even once expired', () => {
    expect(leaseRole(lease('coord-1', 7, 30_000), 'coord-1', 7, NOW)).toBe('leader');
    expect(leaseRole(lease('coord-1', 7, -30_000), 'coord-1', 7, NOW)).toBe('leader');
  });

  it('take when there is no lease or it has expired', () => {
    expect(leaseRole(null, 'coord-1', null, NOW)).toBe('take');
    expect(leaseRole(lease('coord-2', 3, -1), 'coord-1', null, NOW)).toBe('take');
    // Expiry is inclusive: a lease that ends now is free.
    expect(leaseRole(lease('coord-2', 3, 0), 'coord-1', null, NOW)).toBe('take');
    // Its own expired lease from an epoch it no longer holds (a restart) is taken anew.
    expect(leaseRole(lease('coord-1', 6, -1), 'coord-1', 7, NOW)).toBe('take');
  });

  it('standby while another holds a live lease', () => {
    expect(leaseRole(lease('coord-2', 3, 30_000), 'coord-1', null, NOW)).toBe('standby');
    expect(leaseRole(lease('coord-2', 3, 30_000), 'coord-1', 3, NOW)).toBe('standby');
  });

  it('a live lease with this name but another epoch is not leadership', () => {
    expect(leaseRole(lease('coord-1', 8, 30_000), 'coord-1', 7, NOW)).toBe('standby');
    expect(leaseRole(lease('coord-1', 7, 30_000), 'coord-1', null, NOW)).toBe('standby');
  });
});
