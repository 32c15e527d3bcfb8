import { describe, expect, it } from 'vitest';
import { validateShieldsEndpoint } from '../../tests/helpers/shieldsEndpointSchema.js';
import type { ServerRow } from '../status/fleetOverview.js';
import { badgeUptime } from './badgeUptime.js';
import { fleetBadge, serverHealthBadge, serverUptimeBadge } from './shieldsBadge.js';

const rows = (healthy: number, other: ServerRow['health'], others: number) => [
  ...Array.from({ length: healthy }, () => ({ health: 'healthy' as const })),
  ...Array.from({ length: others }, () => ({ health: other })),
];

describe('Shields endpoint badges', () => {
  it('says how much of the fleet is healthy, colored by the share', () => {
    const cases: [ReturnType<typeof rows>, string, string][] = [
      [rows(12, 'offline', 0), '12/12 healthy', 'brightgreen'],
      [rows(9, 'offline', 1), '9/10 healthy', 'yellowgreen'],
      [rows(3, 'degraded', 1), '3/4 healthy', 'yellow'],
      [rows(1, 'invalid', 1), '1/2 healthy', 'orange'],
      [rows(1, 'offline', 2), '1/3 healthy', 'red'],
      [[], 'no servers', 'lightgrey'],
    ];
    for (const [fleet, message, color] of cases) {
      const badge = fleetBadge(fleet);
      expect(badge).toEqual({ schemaVersion: 1, label: 'fleet', message, color, cacheSeconds: 300 });
      expect(validateShieldsEndpoint(badge), JSON.stringify(validateShieldsEndpoint.errors)).toBe(true);
    }
  });

  it("shows a server's health and its drain", () => {
    expect(serverHealthBadge({ server: 'web-01', health: 'healthy', draining: false })).toMatchObject({
      label: 'web-01',
      message: 'healthy',
      color: 'brightgreen',
    });
    expect(serverHealthBadge({ server: 'web-02', health: 'offline', draining: true })).toMatchObject({ message: 'offline, draining', color: 'red' });
    for (const health of ['degraded', 'suspect', 'failing', 'unknown', 'invalid'] as const)
      expect(validateShieldsEndpoint(serverHealthBadge({ server: 'x', health, draining: false }))).toBe(true);
  });

  it('shows uptime with at most one decimal, never rounding up to 100 %', () => {
    const cases: [number, string, string][] = [
      [100, '100%', 'brightgreen'],
      [99.95, '99.9%', 'brightgreen'],
      [99.5, '99.5%', 'green'],
      [98, '98%', 'yellowgreen'],
      [96.25, '96.2%', 'yellow'],
      [91, '91%', 'orange'],
      [12.3, '12.3%', 'red'],
    ];
    for (const [percent, message, color] of cases) {
      const badge = serverUptimeBadge('web-01', { percent, window: '7d' });
      expect(badge).toMatchObject({ label: 'web-01 uptime 7d', message, color });
      expect(validateShieldsEndpoint(badge)).toBe(true);
    }
    expect(serverUptimeBadge('web-01', null)).toMatchObject({ label: 'web-01 uptime', message: 'unknown', color: 'lightgrey' });
  });

  it('reads uptime from the availability the status record carries: 7 days, else 24 hours', () => {
    expect(badgeUptime({ pct30: 99.5 }, { availability: { pct24h: 90, pct7d: 99 } })).toEqual({ percent: 99.5, window: '30d' });
    expect(badgeUptime({ pct30: null }, { availability: { pct24h: 90, pct7d: 99 } })).toEqual({ percent: 99, window: '7d' });
    expect(badgeUptime(null, { availability: { pct24h: 90 } })).toEqual({ percent: 90, window: '24h' });
    expect(badgeUptime(null, {})).toBeNull();
    expect(badgeUptime(undefined, undefined)).toBeNull();
  });

  it('the schema of the test refuses what Shields would refuse', () => {
    expect(validateShieldsEndpoint({ schemaVersion: 2, label: 'a', message: 'b' })).toBe(false);
    expect(validateShieldsEndpoint({ schemaVersion: 1, label: 'a' })).toBe(false);
    expect(validateShieldsEndpoint({ schemaVersion: 1, label: 'a', message: 'b', colour: 'red' })).toBe(false);
    expect(validateShieldsEndpoint({ schemaVersion: 1, label: 'a', message: 'b', cacheSeconds: 10 })).toBe(false);
  });
});
