import { describe, expect, it } from 'vitest';
import { PUSH_ALERT_EVERY_MS, PushRateMeter } from './PushRateMeter.js';

const MIN = 60_000;

describe('PushRateMeter: commits a minute over a sliding window', () => {
  it('says nothing before a minute was observed, then the rate over what was observed', () => {
    const m = new PushRateMeter(10 * MIN);
    m.start(0);
    m.add(5, 30_000);
    expect(m.rate(30_000)).toBeNull();
    expect(m.rate(2 * MIN)).toBe(2.5);
  });

  it('forgets commits older than the window', () => {
    const m = new PushRateMeter(10 * MIN);
    m.start(0);
    for (let t = 1; t <= 20; t++) m.add(t <= 10 ? 12 : 3, t * MIN);
    // The last 10 minutes saw 3 commits each.
    expect(m.rate(20 * MIN)).toBe(3);
  });

  it('restarts after a history rewrite', () => {
    const m = new PushRateMeter(10 * MIN);
    m.start(0);
    m.add(100, MIN);
    m.start(2 * MIN);
    m.add(2, 3 * MIN);
    expect(m.rate(4 * MIN)).toBe(1);
  });

  it('alerts once while over the budget, then again an hour later', () => {
    const m = new PushRateMeter(10 * MIN);
    m.start(0);
    const alerts: number[] = [];
    for (let t = 1; t <= 130; t++) {
      m.add(8, t * MIN);
      if (m.shouldAlert(6, t * MIN)) alerts.push(t);
    }
    expect(alerts).toEqual([1, 61, 121]);
  });

  it('never alerts under the budget, and honours an alert already in the repository', () => {
    const m = new PushRateMeter(10 * MIN);
    m.start(0);
    m.add(5, MIN);
    expect(m.shouldAlert(6, MIN)).toBe(false);
    m.add(50, 2 * MIN);
    expect(m.shouldAlert(6, 2 * MIN, 2 * MIN - PUSH_ALERT_EVERY_MS + 1)).toBe(false);
    expect(m.shouldAlert(6, 2 * MIN, 2 * MIN - PUSH_ALERT_EVERY_MS)).toBe(true);
  });
});
