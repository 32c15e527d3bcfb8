import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Outbox } from './Outbox.js';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'gitfleet-outbox-'));

/** A clock that moves a second each time it is read: every entry gets its own savedAt, no waiting. */
function ticking(start = Date.parse('2026-11-22T10:00:00.000Z')): () => number {
  let t = start;
  return () => (t += 1000);
}

describe('Outbox', () => {
  it('keeps entries across instances (on disk), oldest first; a key replaces its older entry', async () => {
    const d = dir();
    const a = new Outbox(d, undefined, { now: ticking() });
    await a.put({ kind: 'status', key: 'status', payload: { seq: 1 } });
    await a.put({ kind: 'message', key: 'msg-1', payload: { id: 'm1' } });
    await a.put({ kind: 'status', key: 'status', payload: { seq: 2 } });
    const entries = await new Outbox(d).list();
    expect(entries.map((e) => [e.key, e.payload])).toEqual([
      ['msg-1', { id: 'm1' }],
      ['status', { seq: 2 }],
    ]);
  });

  it('is bounded: the oldest entries go first', async () => {
    const box = new Outbox(dir(), { maxEntries: 3, maxBytes: 1_000_000 }, { now: ticking() });
    for (let i = 0; i < 6; i++) await box.put({ kind: 'message', key: `m${i}`, payload: i });
    expect((await box.list()).map((e) => e.key)).toEqual(['m3', 'm4', 'm5']);
  });

  it('drops leftovers of a crash (temporary files) and unreadable entries', async () => {
    const d = dir();
    writeFileSync(path.join(d, 'status.json.abcd.tmp'), '{"half');
    writeFileSync(path.join(d, 'broken.json'), 'not json');
    const box = new Outbox(d);
    expect(await box.list()).toEqual([]);
    expect(readdirSync(d)).toEqual([]);
  });

  it('does not remove an entry that was replaced after it was read', async () => {
    const box = new Outbox(dir(), undefined, { now: ticking() });
    await box.put({ kind: 'status', key: 'status', payload: 1 });
    const [old] = await box.list();
    await box.put({ kind: 'status', key: 'status', payload: 2 });
    await box.remove('status', old!.savedAt);
    expect((await box.list()).map((e) => e.payload)).toEqual([2]);
  });

  it('stamps entries with its clock', async () => {
    const box = new Outbox(dir(), undefined, { now: () => Date.parse('2026-11-22T10:00:00.000Z') });
    await box.put({ kind: 'status', key: 'status', payload: 1 });
    expect((await box.list()).map((e) => e.savedAt)).toEqual(['2026-11-22T10:00:00.000Z']);
  });
});
