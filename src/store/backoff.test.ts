import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay (full jitter)', () => {
  const opts = { baseMs: 10, capMs: 1000 };
  it('stays inside [0, min(cap, slot·2^(n-1)))', () => {
    expect(backoffDelay(1, opts, 0, () => 0.999)).toBe(9);
    expect(backoffDelay(3, opts, 0, () => 0.999)).toBe(39);
    expect(backoffDelay(20, opts, 0, () => 0.999)).toBe(999);
    expect(backoffDelay(5, opts, 0, () => 0)).toBe(0);
  });

  it('widens the slot to the duration of the attempt that lost', () => {
    expect(backoffDelay(1, opts, 300, () => 0.5)).toBe(150);
    expect(backoffDelay(2, opts, 300, () => 0.5)).toBe(300);
  });

  it('spreads writers out: 1000 draws are not all alike', () => {
    const draws = new Set(Array.from({ length: 1000 }, () => backoffDelay(6, opts)));
    expect(draws.size).toBeGreaterThan(100);
  });
});
