import { describe, expect, it } from 'vitest';
import { RecordCache } from './RecordCache.js';

const parsed = { ok: false as const, kind: 'status' as const, reason: 'x' };

describe('RecordCache', () => {
  it('stays within its byte budget, dropping the least recently used first', () => {
    const cache = new RecordCache(100_000);
    for (let i = 0; i < 10_000; i++) cache.set(`k${i}`, parsed, 2000);
    expect(cache.bytes).toBeLessThanOrEqual(100_000);
    expect(cache.size).toBeLessThan(20);
    expect(cache.get('k9999')).toBe(parsed);
    expect(cache.get('k0')).toBeUndefined();
  });

  it('keeps what is used', () => {
    const cache = new RecordCache(20_000);
    cache.set('hot', parsed, 1000);
    for (let i = 0; i < 100; i++) {
      cache.get('hot');
      cache.set(`cold${i}`, parsed, 1000);
    }
    expect(cache.get('hot')).toBe(parsed);
  });
});
