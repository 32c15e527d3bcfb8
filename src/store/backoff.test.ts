import { describe, expect, it } from 'vitest';
import { ContentionControl } from './backoff.js';

const opts = { baseMs: 10, capMs: 100_000 };

describe('ContentionControl (contender estimate, full jitter)', () => {
  it('raises its estimate on every lost race and waits in a window of contenders × slot', () => {
    const c = new ContentionControl(opts, () => 0.999);
    expect(c.rejected(100)).toBe(249); // 2.5 contenders, slot 100 ms: window 250 ms
    expect(c.contenders).toBe(2.5);
    expect(c.rejected(100)).toBe(474); // 4.75 contenders
    expect(c.rejected(100)).toBe(811); // 8.125 contenders: 812.5 × 0.999
  });

  it('lowers the estimate by the commits it saw land, by at most a third per look', () => {
    const c = new ContentionControl(opts, () => 0.5);
    for (let i = 0; i < 6; i++) c.rejected(100); // 1 → 28.4 contenders
    const before = c.contenders;
    c.sawLanded(2);
    expect(c.contenders).toBeCloseTo(before - 2);
    c.sawLanded(1_000);
    expect(c.contenders).toBeCloseTo((before - 2) * 0.67);
    c.sawLanded(undefined); // "more than counted"
    expect(c.contenders).toBeCloseTo((before - 2) * 0.67 * 0.67);
    for (let i = 0; i < 50; i++) c.sawLanded(5);
    expect(c.contenders).toBe(1);
  });

  it('recovers after its own commit lands, and never estimates fewer than one writer', () => {
    const c = new ContentionControl(opts, () => 0.5);
    for (let i = 0; i < 5; i++) c.rejected(100);
    const before = c.contenders;
    c.landed(100);
    expect(c.contenders).toBeCloseTo(before * 0.67);
    for (let i = 0; i < 30; i++) c.landed(100);
    expect(c.contenders).toBe(1);
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

  it('spreads 1,000 writers that lost the same races over the window (not lockstep)', () => {
    const draws = Array.from({ length: 1000 }, () => {
      const c = new ContentionControl(opts);
      for (let i = 0; i < 5; i++) c.rejected(100);
      return c.rejected(100);
    });
    expect(new Set(draws).size).toBeGreaterThan(500);
    expect(Math.max(...draws)).toBeGreaterThan(2_000);
  });
});
