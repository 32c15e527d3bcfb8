import { describe, expect, it } from 'vitest';
import { memorySnapshot } from './memorySnapshot.js';

describe('Snapshot.tree and readEntries (readers of a foreign layout)', () => {
  it('lists every entry of the tree, marks what is not a plain file, and reads bounded bytes of any path', async () => {
    const snapshot = memorySnapshot({
      'build1/status.json': '{"a":1}',
      'coordination/jobs.json': 'x'.repeat(100),
      'messages/link.txt': { mode: '120000', content: '../../etc/passwd' },
      'status/web-01.json': '{}',
    });
    const tree = await snapshot.tree();
    expect(tree.map((e) => `${e.path}${e.unexpected ? ` (${e.unexpected})` : ''}`)).toEqual([
      'build1/status.json',
      'coordination/jobs.json',
      'messages/link.txt (a symlink)',
      'status/web-01.json',
    ]);
    const read = await snapshot.readEntries(tree, 50);
    expect(Buffer.from(read.get('build1/status.json') as Uint8Array).toString()).toBe('{"a":1}');
    expect(read.get('coordination/jobs.json')).toEqual({ tooLarge: 100 });
    expect(read.has('messages/link.txt')).toBe(false);
    expect(await memorySnapshot(null).tree()).toEqual([]);
  });
});
