import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitWrapper } from '../../tests/helpers/gitWrapper.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { CatFileObjects } from './CatFileObjects.js';

// One reader answers both what a tree listing asks (sizes) and what a snapshot reads
// (bytes): `gitfleet status` starts one git process for its reads, not two.
describe('CatFileObjects', () => {
  afterAll(() => cleanupTempDirs());

  const repository = () => {
    const dir = path.join(tempDir(), 'cache.git');
    execFileSync('git', ['init', '--bare', '--quiet', dir]);
    const blob = (text: string) => execFileSync('git', ['--git-dir', dir, 'hash-object', '-w', '--stdin'], { input: text, encoding: 'utf8' }).trim();
    return { dir, small: blob('{"a":1}\n'), other: blob('hello world\n') };
  };
  const missing = '0123456789abcdef0123456789abcdef01234567';

  it.each([
    ['a git that knows --batch-command', false, [['cat-file --batch-command --buffer']]],
    ['a git older than 2.36', true, [['cat-file --batch-command --buffer', 'cat-file --batch-check', 'cat-file --batch']]],
  ] as const)('answers sizes and bytes with %s', async (_name, refuse, expected) => {
    const { dir, small, other } = repository();
    const git = gitWrapper({ refuseBatchCommand: refuse });
    const objects = new CatFileObjects(
      () => dir,
      () => ({ ...(process.env as Record<string, string>), PATH: git.path }),
    );
    try {
      const sizes = await objects.read([small, missing, other], 'info');
      expect(sizes).toEqual([{ oid: small, type: 'blob', size: 8 }, null, { oid: other, type: 'blob', size: 12 }]);
      const [a, none, b] = await objects.read([small, missing, other], 'contents');
      expect(a?.content?.toString()).toBe('{"a":1}\n');
      expect(none).toBeNull();
      expect(b).toMatchObject({ type: 'blob', size: 12 });
      expect(b?.content?.toString()).toBe('hello world\n');
      // Asked again: the same process(es) answer, none is started anew.
      expect((await objects.read([other], 'info'))[0]).toMatchObject({ size: 12 });
      expect([git.calls()]).toEqual(expected);
    } finally {
      objects.close();
    }
  });

  // A fetch writes objects while the reader, started beside it, is already running.
  it('started before a fetch, reads the loose objects and the packs the fetch writes', async () => {
    const { dir } = repository();
    const git = gitWrapper();
    const objects = new CatFileObjects(
      () => dir,
      () => ({ ...(process.env as Record<string, string>), PATH: git.path }),
    );
    try {
      objects.prestart();
      await expect.poll(() => git.calls()).toEqual(['cat-file --batch-command --buffer']);
      const loose = execFileSync('git', ['--git-dir', dir, 'hash-object', '-w', '--stdin'], { input: 'loose\n', encoding: 'utf8' }).trim();
      // A pack made elsewhere and moved in, as a fetch of many objects leaves one.
      const other = path.join(tempDir(), 'other.git');
      execFileSync('git', ['init', '--bare', '--quiet', other]);
      const packed = execFileSync('git', ['--git-dir', other, 'hash-object', '-w', '--stdin'], { input: 'packed\n', encoding: 'utf8' }).trim();
      execFileSync('git', ['--git-dir', other, 'pack-objects', '-q', path.join(dir, 'objects/pack/pack')], { input: `${packed}\n` });
      expect(readdirSync(path.join(dir, 'objects/pack')).some((f) => f.endsWith('.idx'))).toBe(true);
      const [a, b] = await objects.read([loose, packed], 'contents');
      expect(a?.content?.toString()).toBe('loose\n');
      expect(b?.content?.toString()).toBe('packed\n');
      expect(git.calls()).toEqual(['cat-file --batch-command --buffer']);
    } finally {
      objects.close();
    }
  });
});
