import { describe, expect, it } from 'vitest';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import { retryDelayMs } from './retryDelay.js';

// base 10 s, cap 600 s
const settings = resolveFleetSettings({ schemaVersion: 1, jobs: { retryBaseSeconds: 10, retryMaxSeconds: 600 } });
const top = () => 1 - Number.EPSILON;
const bottom = () => 0;

describe('retryDelayMs', () => {
  it('doubles with every failure', () => {
    expect([1, 2, 3, 4, 5].map((f) => retryDelayMs(f, settings, top))).toEqual([10_000, 20_000, 40_000, 80_000, 160_000]);
    expect([1, 2, 3].map((f) => retryDelayMs(f, settings, bottom))).toEqual([5_000, 10_000, 20_000]);
  });

  it('is capped at retryMaxSeconds, also for absurd failure counts', () => {
    expect(retryDelayMs(7, settings, top)).toBe(600_000);
    expect(retryDelayMs(1000, settings, top)).toBe(600_000);
    expect(retryDelayMs(1000, settings, bottom)).toBe(300_000);
  });

  it('jitter stays within [exp/2, exp]', () => {
    let i = 0;
    const randoms = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999999];
    const random = () => randoms[i++ % randoms.length]!;
    for (const failures of [1, 3, 6, 9]) {
      const exp = Math.min(600_000, 10_000 * 2 ** (failures - 1));
      const delays = randoms.map(() => retryDelayMs(failures, settings, random));
      for (const d of delays) {
        expect(d).toBeGreaterThanOrEqual(exp / 2);
        expect(d).toBeLessThanOrEqual(exp);
      }
      // The random part is used: the delays are not all the same.
      expect(new Set(delays).size).toBe(randoms.length);
    }
  });

  it('zero failures count as one; a cap below the base is raised to the base', () => {
    expect(retryDelayMs(0, settings, bottom)).toBe(5_000);
    const odd = resolveFleetSettings({ schemaVersion: 1, jobs: { retryBaseSeconds: 30, retryMaxSeconds: 5 } });
    expect(retryDelayMs(4, odd, top)).toBe(30_000);
  });
});
