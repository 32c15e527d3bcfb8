import { describe, expect, it } from 'vitest';
import { composeMessage } from '../messages/composeMessage.js';
import { archivePlan } from '../messages/archivePlan.js';
import { stringifyRecord } from '../util/stringifyRecord.js';
import { migrateArchivesPlan } from './migrateArchivesPlan.js';
import { ARCHIVE_LAYOUT_MARKERS, classifyPath, recordPath, shardOf } from './recordPaths.js';
import { memorySnapshot } from './memorySnapshot.js';
import { runPlan } from './runPlan.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const DAY = 86_400_000;
const ids = Array.from({ length: 5000 }, (_, i) => `01jb${i.toString(36).padStart(6, '0')}z3q4m5n6p7r8s9`);

describe('sharded archive paths (layout 2)', () => {
  it.each([
    ['job', 'abc', 'jobs/archive/2026-10/'],
    ['message', '01jb9f8z3q4m5n6p7r8s9t0v1w', 'messages/archive/2026-10/'],
  ] as const)('%s %s: parse(build(x)) = x, in the one shard of its id', (kind, id, folder) => {
    const path = recordPath(kind, id, { archiveMonth: '2026-10', sharded: true });
    expect(path).toBe(`${folder}${shardOf(id)}/${id}.json`);
    expect(classifyPath(path)).toEqual({ type: 'record', kind, id, month: '2026-10', sharded: true });
    // The flat layout still parses to the same record, without the shard.
    expect(classifyPath(recordPath(kind, id, { archiveMonth: '2026-10' }))).toEqual({ type: 'record', kind, id, month: '2026-10' });
  });

  it('every id maps to exactly one two-hex shard, the same every time, spread over all 256', () => {
    const counts = new Map<string, number>();
    for (const id of ids) {
      const s = shardOf(id);
      expect(s).toMatch(/^[0-9a-f]{2}$/);
      expect(shardOf(id)).toBe(s);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    expect(counts.size).toBe(256);
    // 5,000 ids over 256 shards: about 20 each; no shard takes a large share.
    expect(Math.max(...counts.values())).toBeLessThan(60);
  });

  it.each([
    ['jobs/archive/2026-10/zz/abc.json', /not a record folder/],
    ['jobs/archive/2026-10/AB/abc.json', /not a record folder/],
    ['jobs/archive/2026-10/a/abc.json', /not a record folder/],
    ['jobs/archive/2026-10/00/11/abc.json', /not a record folder/],
    ['jobs/archive/2026-10/../abc.json', /not a record folder/],
    ['messages/archive/2026-13/00/m1.json', /not a record folder/],
    ['messages/archive/2026-10/00/M1.json', /not a valid id/],
  ])('refuses %s', (path, reason) => {
    const c = classifyPath(path);
    expect(c.type).toBe('unexpected');
    expect(c.type === 'unexpected' && c.reason).toMatch(reason);
  });

  it('refuses a record in a shard that is not its own (one id, one place)', () => {
    const wrong = shardOf('abc') === '00' ? '01' : '00';
    expect(classifyPath(`jobs/archive/2026-10/${wrong}/abc.json`)).toMatchObject({ type: 'unexpected', reason: /belongs in shard/ });
  });

  it('the layout markers are doc files every reader ignores', () => {
    for (const marker of Object.values(ARCHIVE_LAYOUT_MARKERS)) expect(classifyPath(marker)).toEqual({ type: 'ignored' });
  });
});

describe('readers and writers across the layouts', () => {
  const old = composeMessage({ from: 'op:alice', to: 'all', subject: 'old', now: NOW - 40 * DAY });
  const flatPath = recordPath('message', old.id, { archiveMonth: '2026-10' });
  const shardPath = recordPath('message', old.id, { archiveMonth: '2026-10', sharded: true });

  it('a snapshot finds an archived record flat or sharded, and lists both', async () => {
    for (const path of [flatPath, shardPath]) {
      const snap = memorySnapshot({ [path]: stringifyRecord(old) });
      expect(await snap.get('message', old.id, { archiveMonth: '2026-10' })).toEqual(old);
      expect((await snap.list('message', { archived: true })).records).toEqual([old]);
    }
  });

  it('the archive writer stays flat until the marker exists, then shards', async () => {
    const live = { [recordPath('message', old.id)]: stringifyRecord(old) };
    expect(Object.keys((await runPlan(archivePlan(30 * DAY, NOW), live, new Date(NOW))).writes)).toEqual([flatPath]);
    const marked = { ...live, [ARCHIVE_LAYOUT_MARKERS.message]: '# sharded\n' };
    expect(Object.keys((await runPlan(archivePlan(30 * DAY, NOW), marked, new Date(NOW))).writes)).toEqual([shardPath]);
  });

  it('migrate: marks both archives, moves flat records in batches, leaves unreadable ones where they are', async () => {
    const messages = Array.from({ length: 5 }, (_, i) => composeMessage({ from: 'op:alice', to: 'all', subject: `m${i}`, now: NOW - 40 * DAY + i }));
    const broken = 'messages/archive/2026-10/01jbzzzzzzzzzzzzzzzzzzzzzz.json';
    let files: Record<string, string> = Object.fromEntries(messages.map((m) => [recordPath('message', m.id, { archiveMonth: '2026-10' }), stringifyRecord(m)]));
    files[broken] = '{"schemaVersion": 1';
    const first = await runPlan(migrateArchivesPlan(2), files, new Date(NOW));
    expect(first.value).toMatchObject({ moved: 2, markedLayout: true });
    expect(Object.keys(first.writes)).toEqual(expect.arrayContaining(Object.values(ARCHIVE_LAYOUT_MARKERS)));
    let remaining = first.value!.remaining;
    const apply = (out: typeof first) => {
      for (const d of out.deletes) delete files[d];
      files = { ...files, ...Object.fromEntries(Object.entries(out.writes).map(([p, v]) => [p, typeof v === 'string' ? v : stringifyRecord(v as never)])) };
    };
    apply(first);
    let rounds = 1;
    while (remaining > 0 && rounds < 10) {
      const out = await runPlan(migrateArchivesPlan(2), files, new Date(NOW));
      expect(out.value!.markedLayout).toBe(false);
      apply(out);
      remaining = out.value!.remaining;
      rounds++;
    }
    expect(rounds).toBe(3);
    for (const m of messages) expect(files[recordPath('message', m.id, { archiveMonth: '2026-10', sharded: true })]).toBeDefined();
    expect(files[broken]).toBe('{"schemaVersion": 1');
    const last = await runPlan(migrateArchivesPlan(2), files, new Date(NOW));
    expect(last).toMatchObject({ writes: {}, deletes: [], value: { moved: 0, remaining: 0, unreadable: [broken] } });
  });
});
