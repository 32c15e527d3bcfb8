import { describe, expect, it } from 'vitest';
import { nextPhaseDelay, relayPhaseMs } from './relayPhase.js';

describe('relayPhaseMs', () => {
  it('is stable for a name and within the period', () => {
    expect(relayPhaseMs('op:relay-site-a', 60_000)).toBe(relayPhaseMs('op:relay-site-a', 60_000));
    for (const name of ['a', 'op:relay-0', 'op:relay-1', '']) {
      const phase = relayPhaseMs(name, 10_000);
      expect(phase).toBeGreaterThanOrEqual(0);
      expect(phase).toBeLessThan(10_000);
    }
  });

  it('spreads relays whose names differ in one character over the period', () => {
    // A hash, not a schedule: two may still meet, but ten never all fold in the same second.
    const seconds = new Set(Array.from({ length: 10 }, (_, i) => Math.floor(relayPhaseMs(`op:relay-site-${i}`, 600_000) / 1000)));
    expect(seconds.size).toBeGreaterThanOrEqual(8);
    const tenths = new Set(Array.from({ length: 10 }, (_, i) => Math.floor(relayPhaseMs(`op:relay-${i}`, 10_000) / 1000)));
    expect(tenths.size).toBeGreaterThanOrEqual(6);
  });
});

describe('nextPhaseDelay', () => {
  it.each([
    // now, period, phase, delay
    [0, 10_000, 3_000, 3_000],
    [2_999, 10_000, 3_000, 1],
    [3_000, 10_000, 3_000, 10_000],
    [3_001, 10_000, 3_000, 9_999],
    [1_000_000_500, 60_000, 0, 19_500],
  ])('at %d with a %d ms period at phase %d: %d ms', (now, period, phase, delay) => {
    expect(nextPhaseDelay(now, period, phase)).toBe(delay);
  });
});
