import { describe, expect, it } from 'vitest';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import { checkHeartbeat } from './checkHeartbeat.js';

describe('checkHeartbeat', () => {
  it('passes when the fleet fits its push budget', () => {
    const settings = resolveFleetSettings({ schemaVersion: 1 }, 'https://git.example.com/fleet.git');
    expect(checkHeartbeat(settings, 10)).toMatchObject({ status: 'ok', fix: null });
  });

  it('warns when an adaptive fleet is stretched past its period, with the period it gets', () => {
    const settings = resolveFleetSettings({ schemaVersion: 1 }, 'https://github.com/acme/fleet.git');
    // 50 servers at 6 pushes/min (3.6 for heartbeats): 60 s becomes 900 s.
    const result = checkHeartbeat(settings, 50);
    expect(result.status).toBe('warn');
    expect(result.message).toMatch(/stretched to every 900 s/);
    expect(result.fix).toMatch(/pushBudget\.pushesPerMinute/);
  });

  it('fails when a fixed period needs more pushes than the budget allows, naming the period that fits', () => {
    const settings = resolveFleetSettings({ schemaVersion: 1, heartbeat: { periodSeconds: 60, adaptive: false }, pushBudget: { pushesPerMinute: 6 } });
    const result = checkHeartbeat(settings, 20);
    expect(result).toMatchObject({ status: 'fail', exitCode: 2 });
    expect(result.fix).toMatch(/heartbeat\.periodSeconds to 334 or more/);
  });
});
