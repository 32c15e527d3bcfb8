import { describe, expect, it } from 'vitest';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import type { ServerStatus } from '../schema/types.js';
import { collectEvents } from './notificationEvents.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const dead: ServerStatus = { schemaVersion: 1, server: 'web-01', updatedAt: '2026-11-30T10:00:00.000Z', seq: 1, health: { state: 'healthy' }, labels: ['eu'] };

describe('collectEvents: maintenance silences server.dead', () => {
  it.each([
    ['no window', undefined, 1],
    ['a window on the server', { target: 'web-01', start: '2026-11-30T09:00:00Z', end: '2026-11-30T13:00:00Z' }, 0],
    ['a window on its label', { target: 'label:eu', start: '2026-11-30T09:00:00Z', end: '2026-11-30T13:00:00Z' }, 0],
    ['a window that has ended', { target: 'web-01', start: '2026-11-30T09:00:00Z', end: '2026-11-30T11:59:00Z' }, 1],
  ] as const)('%s: %i event', (_name, window, count) => {
    const settings = resolveFleetSettings({ schemaVersion: 1, ...(window ? { maintenance: [window] } : {}) });
    const events = collectEvents({ messages: [], jobs: [], status: [dead], settings }, NOW);
    expect(events.filter((e) => e.kind === 'server.dead')).toHaveLength(count);
  });
});
