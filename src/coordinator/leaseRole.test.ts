import { describe, expect, it } from 'vitest';
import type { CoordinatorLease } from '../schema/types.js';
import { leaseProblem, leaseRenewalDue, leaseRole, nextEpoch } from './leaseRole.js';

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

  it.each([
    ['one lease period ahead: honoured', 60_000, 60, 'standby'],
    ['three lease periods ahead: honoured', 180_000, 60, 'standby'],
    ['three periods plus the clock slack: honoured', 180_000 + 5 * 60_000, 60, 'standby'],
    ['just past that: taken', 180_000 + 5 * 60_000 + 1, 60, 'take'],
    ['in the year 9999: taken', Date.parse('9999-01-01T00:00:00Z') - NOW, 60, 'take'],
    ['a day ahead with the longest lease fleet.json allows (1 h): taken', 86_400_000, 3600, 'take'],
  ] as const)('a lease held by another, %s', (_, ahead, leaseSeconds, role) => {
    expect(leaseRole(lease('coord-2', 3, ahead), 'coord-1', null, NOW, leaseSeconds)).toBe(role);
  });

  it('validate says why a far-future lease is not honoured; a normal one is fine', () => {
    expect(leaseProblem(lease('coord-2', 3, 30_000), NOW, 60)).toBeNull();
    expect(leaseProblem({ ...lease('coord-2', 3, 0), leaseUntil: '9999-01-01T00:00:00.000Z' }, NOW, 60)).toMatch(
      /more than 8 min ahead of this reader's clock/,
    );
  });

  it('the next epoch steps by one, and starts over where integers cannot step', () => {
    expect(nextEpoch(undefined)).toBe(1);
    expect(nextEpoch(7)).toBe(8);
    expect(nextEpoch(1e300)).toBe(1);
    expect(nextEpoch(Number.MAX_SAFE_INTEGER)).toBe(1);
  });
});

describe('leaseRenewalDue: an idle tick pushes only when half the lease is gone', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const held = (secondsLeft: number): CoordinatorLease => ({
    schemaVersion: 1,
    holder: 'coord-a',
    epoch: 1,
    leaseUntil: new Date(now + secondsLeft * 1000).toISOString(),
    takenAt: new Date(now - 600_000).toISOString(),
    renewedAt: new Date(now - 1000).toISOString(),
    tick: 3,
  });
  it.each([
    ['no lease', null, true],
    ['59 s of 60 left', held(59), false],
    ['30 s of 60 left (exactly half)', held(30), false],
    ['29 s of 60 left', held(29), true],
    ['expired', held(-5), true],
  ] as const)('%s: %s', (_name, lease, due) => {
    expect(leaseRenewalDue(lease, now, 60)).toBe(due);
  });
  it('an unreadable leaseUntil is renewed', () => {
    expect(leaseRenewalDue({ ...held(50), leaseUntil: 'soon' }, now, 60)).toBe(true);
  });
});
