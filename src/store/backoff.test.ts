import { describe, expect, it } from 'vitest';
import { ContentionControl } from './backoff.js';

const opts = { baseMs: 10, capMs: 100_000 };

describe('ContentionControl (full jitter, doubling on loss, quick recovery)', () => {
  it('doubles the window on every lost race, in slots of the observed cycle', () => {
    const c = new ContentionControl(opts, () => 0.999);
    expect(c.rejected(100)).toBe(199); // slot 100 ms, window 2 slots
    expect(c.rejected(100)).toBe(399);
    expect(c.rejected(100)).toBe(799);
    expect(c.level).toBe(3);
  });

  it('never waits past the cap or what the deadline leaves, and draws from the whole window', () => {
    const c = new ContentionControl({ baseMs: 10, capMs: 1_000 }, () => 0.999);
    for (let i = 0; i < 20; i++) c.rejected(100);
    expect(c.rejected(100)).toBe(999);
    expect(c.rejected(100, 50)).toBe(49);
    const low = new ContentionControl(opts, () => 0);
    expect(low.rejected(100)).toBe(0);
  });

  it('smooths the slot over cycles and never lets it fall under baseMs', () => {
    const c = new ContentionControl(opts, () => 0.5);
    c.rejected(1);
    expect(c.slotMs).toBe(10);
    const d = new ContentionControl(opts, () => 0.5);
    d.rejected(100);
    d.rejected(200);
    expect(d.slotMs).toBeCloseTo(130);
  });

  it('recovers quickly after a landed commit: two levels down per success', () => {
    const c = new ContentionControl(opts, () => 0.5);
    for (let i = 0; i < 5; i++) c.rejected(100);
    c.landed(100);
    expect(c.level).toBe(3);
    c.landed(100);
    c.landed(100);
    expect(c.level).toBe(0);
  });

  it('spreads 1,000 writers that lost the same races over the window (not lockstep)', () => {
    const draws = Array.from({ length: 1000 }, () => {
      const c = new ContentionControl(opts);
      for (let i = 0; i < 5; i++) c.rejected(100);
      return c.rejected(100);
    });
    expect(new Set(draws).size).toBeGreaterThan(500);
    expect(Math.max(...draws)).toBeGreaterThan(3_000);
  });
});
