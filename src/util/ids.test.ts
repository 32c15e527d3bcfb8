import { describe, expect, it } from 'vitest';
import { isValidId } from '../store/recordPaths.js';
import { idTime, newId, randomHex } from './ids.js';

describe('newId', () => {
  it('makes DNS-label ids that sort by creation time, also within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => newId(1_790_000_000_000 + Math.floor(i / 100)));
    for (const id of ids) expect(isValidId(id)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('encodes its time', () => {
    expect(idTime(newId(1_790_000_000_123))).toBe(1_790_000_000_123);
    expect(idTime('not-an-id')).toBeNull();
  });

  it('randomHex matches the claim id pattern', () => {
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
  });
});
