import { describe, expect, it } from 'vitest';
import { availabilityPercent, recordUp } from './availability.js';

const H = 3_600_000;

describe('availability', () => {
  it('merges observations closer than the tolerance, and counts gaps as down', () => {
    let up: [number, number][] = [];
    for (let t = 0; t <= 12 * H; t += 60_000) up = recordUp(up, t, 180_000);
    for (let t = 18 * H; t <= 24 * H; t += 60_000) up = recordUp(up, t, 180_000);
    expect(up).toHaveLength(2);
    expect(availabilityPercent(up, 24 * H, 24 * H)).toBe(75);
  });

  it('measures over the time since first seen when that is shorter than the window', () => {
    const up = recordUp(recordUp([], 0, 120_000), H, 120_000);
    expect(availabilityPercent(up, H, 7 * 24 * H)).toBe(0);
    expect(availabilityPercent([[0, H]], H, 7 * 24 * H)).toBe(100);
  });

  it('forgets what is older than a week', () => {
    const up = recordUp([[0, H]], 8 * 24 * H, 60_000);
    expect(up).toEqual([[8 * 24 * H, 8 * 24 * H]]);
  });

  it('leaves maintenance out of both the time up and the time measured', () => {
    // Up for the first 12 h, down for the last 12 h, 6 of which were a maintenance window.
    const up: [number, number][] = [[0, 12 * H]];
    expect(availabilityPercent(up, 24 * H, 24 * H)).toBe(50);
    expect(availabilityPercent(up, 24 * H, 24 * H, [[18 * H, 24 * H]])).toBe(66.7);
    // A window over time it was up changes nothing but the base.
    expect(availabilityPercent(up, 24 * H, 24 * H, [[0, 6 * H]])).toBe(33.3);
  });
});
