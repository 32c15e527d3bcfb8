import { describe, expect, it } from 'vitest';
import { validateShieldsEndpoint } from '../../tests/helpers/shieldsEndpointSchema.js';
import { memorySnapshot } from '../store/memorySnapshot.js';
import { buildBadges } from './writeBadges.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const status = (server: string, ageSeconds: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ schemaVersion: 1, server, updatedAt: new Date(NOW - ageSeconds * 1000).toISOString(), seq: 1, health: { state: 'healthy' }, ...extra });

describe('buildBadges', () => {
  it('writes the fleet badge and, per server with a valid id, its health and uptime; a dot keeps the two apart', async () => {
    const badges = await buildBadges(
      memorySnapshot({
        'status/web-01.json': status('web-01', 10, { availability: { pct24h: 100, pct7d: 99.5 } }),
        // A server named like another's uptime badge cannot overwrite it.
        'status/web-01-uptime.json': status('web-01-uptime', 3 * 86_400),
        'status/db-01.json': '{ broken',
        'status/Odd Name.json': status('odd', 10),
      }),
      '',
      NOW,
    );
    expect([...badges.keys()].sort()).toEqual([
      'badges/fleet.json',
      'badges/servers/db-01.json',
      'badges/servers/db-01.uptime.json',
      'badges/servers/web-01-uptime.json',
      'badges/servers/web-01-uptime.uptime.json',
      'badges/servers/web-01.json',
      'badges/servers/web-01.uptime.json',
    ]);
    expect(badges.get('badges/fleet.json')).toMatchObject({ message: '1/3 healthy', color: 'red' });
    expect(badges.get('badges/servers/web-01.uptime.json')).toMatchObject({ label: 'web-01 uptime 7d', message: '99.5%' });
    expect(badges.get('badges/servers/web-01-uptime.json')).toMatchObject({ label: 'web-01-uptime', message: 'offline' });
    expect(badges.get('badges/servers/db-01.json')).toMatchObject({ message: 'invalid', color: 'lightgrey' });
    for (const badge of badges.values()) expect(validateShieldsEndpoint(badge)).toBe(true);
  });
});
