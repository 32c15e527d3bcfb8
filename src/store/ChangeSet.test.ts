import { describe, expect, it } from 'vitest';
import type { ServerStatus } from '../schema/types.js';
import { ChangeSet } from './ChangeSet.js';
import { abort, isAbort } from './Plan.js';

const s = (server: string, seq: number): ServerStatus => ({ schemaVersion: 1, server, updatedAt: '2026-11-22T00:00:00Z', seq, health: { state: 'healthy' } });

describe('ChangeSet', () => {
  it('keeps the last change per path', () => {
    const c = new ChangeSet().put('status', s('a', 1)).put('status', s('a', 2)).delete('status', 'b').put('status', s('b', 1));
    expect(c.writes.map((w) => [w.path, (w.record as ServerStatus).seq])).toEqual([
      ['status/a.json', 2],
      ['status/b.json', 1],
    ]);
    expect(c.deletes).toEqual([]);
    expect(c.size).toBe(2);
  });

  it('merges another set after itself', () => {
    const a = new ChangeSet().put('status', s('a', 1));
    const b = new ChangeSet().delete('status', 'a').putDoc('status/README.md', 'x');
    a.merge(b);
    expect(a.writes).toEqual([]);
    expect(a.deletes).toEqual(['status/a.json']);
    expect(a.docs).toEqual([{ path: 'status/README.md', text: 'x' }]);
  });

  it('refuses records whose id would escape the folder, and unknown doc paths', () => {
    expect(() => new ChangeSet().put('status', s('../x', 1))).toThrow(/not valid/);
    expect(() => new ChangeSet().putDoc('README.md', 'x')).toThrow(/not a documentation path/);
  });

  it('abort carries a reason', () => {
    expect(isAbort(abort('conflict', 'taken', { by: 'x' }))).toBe(true);
    expect(isAbort(new ChangeSet())).toBe(false);
  });
});
