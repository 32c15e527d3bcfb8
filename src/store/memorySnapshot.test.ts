import { describe, expect, it } from 'vitest';
import { CacheCorruptError } from '../errors/index.js';
import { newId } from '../util/ids.js';
import { memorySnapshot } from './memorySnapshot.js';
import { recordPath } from './recordPaths.js';

const status = (server: string) => JSON.stringify({ schemaVersion: 1, server, updatedAt: '2026-11-22T10:00:00.000Z', seq: 1, health: { state: 'healthy' } });

describe('memorySnapshot: a real Snapshot over files held in memory', () => {
  it('reads valid records, and reports invalid, misplaced and non-plain files as a git head would', async () => {
    const snapshot = memorySnapshot({
      'fleet.json': '{"schemaVersion": 1, "name": "mem"}',
      'status/web-01.json': status('web-01'),
      'status/web-02.json': '{"schemaVersion": 1, "server": ',
      'status/web-03.json': status('web-04'),
      'status/README.md': '# status/',
      'status/notes.txt': 'hello',
      'status/link-1.json': { mode: '120000', content: 'web-01.json' },
      'jobs/sub-1.json': { mode: '160000', oid: '1'.repeat(40) },
      'elsewhere/file.json': '{}',
    });
    const all = await snapshot.read();
    expect(all.fleet?.name).toBe('mem');
    expect(all.status.map((s) => s.server)).toEqual(['web-01']);
    expect(all.invalid.map((i) => i.path)).toEqual(['jobs/sub-1.json', 'status/link-1.json', 'status/notes.txt', 'status/web-02.json', 'status/web-03.json']);
    expect(all.invalid.find((i) => i.path === 'status/link-1.json')?.reason).toBe('unexpected file: a symlink');
    expect(all.invalid.find((i) => i.path === 'jobs/sub-1.json')?.reason).toBe('unexpected file: a gitlink (submodule)');
    expect((await snapshot.inspect('status', 'web-02'))?.ok).toBe(false);
    expect(await snapshot.paths('status')).toContain('status/README.md');
    expect(await snapshot.entry('elsewhere/file.json')).toBeUndefined();
  });

  it('archived records are listed apart from live ones', async () => {
    const id = newId(Date.parse('2026-10-01T00:00:00.000Z'));
    const message = {
      schemaVersion: 1,
      id,
      from: 'op:alice',
      to: 'all',
      priority: 'normal',
      type: 'info',
      subject: 'hi',
      createdAt: '2026-10-01T00:00:00.000Z',
      thread: id,
    };
    const snapshot = memorySnapshot({ [recordPath('message', message.id, { archiveMonth: '2026-10' })]: JSON.stringify(message) });
    expect((await snapshot.list('message')).records).toEqual([]);
    expect((await snapshot.list('message', { archived: true })).records).toEqual([message]);
  });

  it('lists more records than one read batch (2,000 blobs)', async () => {
    const files = Object.fromEntries(Array.from({ length: 2003 }, (_, i) => [`status/s-${i}.json`, status(`s-${i}`)]));
    expect((await memorySnapshot(files).list('status')).records).toHaveLength(2003);
  });

  it('null is a branch that does not exist; an object the files do not hold is cache damage', async () => {
    const none = await memorySnapshot(null).read();
    expect(none).toMatchObject({ commit: null, fleet: null, status: [], invalid: [] });
    const snapshot = memorySnapshot({ 'status/web-01.json': { mode: '100644', oid: '2'.repeat(40) } });
    await expect(snapshot.get('status', 'web-01')).rejects.toBeInstanceOf(CacheCorruptError);
  });
});
