import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../../tests/helpers/tempDir.js';
import { codeCacheDir } from './codeCacheDir.js';
import { readCodeCache, writeCodeCache } from './codeCacheFile.js';
import { pruneCodeCaches } from './pruneCodeCaches.js';
import { loadBundle } from './loadBundle.js';

// Each load runs in a process of its own, as the launcher does: within one process V8 keeps
// what it compiled in memory and would never consult (or reject) the cache file.
const PROBE = `
const { loadBundle } = require('./loadBundle.ts');
const [bundle, cacheDir, command] = process.argv.slice(2);
const loaded = loadBundle(bundle, cacheDir, command);
loaded.exports.importer().then((imported) => {
  loaded.saveCodeCache();
  process.stdout.write(JSON.stringify({ cache: loaded.cache, answer: loaded.exports.answer(20), where: loaded.exports.where, imported }));
});
`;

// The installed launcher compiles the CLI's bundles through V8's code cache (loadBundle.ts):
// the cache must speed up a run and never change what runs, and a cache file that is
// damaged, swapped or writable by someone else must be ignored, never executed.
const BUNDLE = `
const path = require('node:path');
function answer(n) { return n * 2 + (path.sep.length - 1); }
exports.answer = answer;
exports.where = __filename;
// Loaded when first used, as the CLI's bundles load npm dependencies (they have no import()).
exports.importer = () => Promise.resolve().then(() => typeof require('node:os').cpus);
`;

describe('loadBundle with a code cache', () => {
  let probe: string;
  let dir: string;
  let bundle: string;
  let cache: string;
  beforeEach(() => {
    dir = tempDir('gitfleet-codecache-');
    bundle = path.join(dir, 'dist', 'tiny.cjs');
    cache = path.join(dir, 'cache', 'code');
    mkdirSync(path.dirname(bundle));
    writeFileSync(bundle, BUNDLE);
  });
  beforeAll(async () => {
    probe = path.join(tempDir('gitfleet-codecache-probe-'), 'probe.cjs');
    await build({
      stdin: { contents: PROBE, resolveDir: import.meta.dirname, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: probe,
      logLevel: 'warning',
    });
  });
  afterAll(cleanupTempDirs);

  const files = () => readdirSync(cache).filter((f) => f.endsWith('.v8'));
  /** One run: what it found in the cache and what the bundle answered; it saves the cache after, as the launcher does. */
  const load = (command = 'status'): { cache: string; answer: number; where: string; imported: string } =>
    JSON.parse(execFileSync(process.execPath, [probe, bundle, cache, command], { encoding: 'utf8' }));

  it('runs the bundle as require() would, writes the cache after the first run and uses it after', async () => {
    expect(load()).toEqual({ cache: 'missing', answer: 40, where: bundle, imported: 'function' });
    expect(files()).toHaveLength(1);
    // Readable by this user only, in a folder nobody else can write.
    expect(statSync(path.join(cache, files()[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(cache).mode & 0o777).toBe(0o700);

    expect(load()).toEqual({ cache: 'used', answer: 40, where: bundle, imported: 'function' });
    expect(files()).toHaveLength(1);
  });

  it('keeps one cache per command, and drops an earlier build’s when the bundle changes', () => {
    load('status');
    load('agent');
    expect(files()).toHaveLength(2);
    writeFileSync(bundle, `${BUNDLE}\nexports.more = 1;\n`);
    utimesSync(bundle, new Date(), new Date(Date.now() + 5_000));
    expect(load('status').cache).toBe('missing');
    const left = files();
    expect(left).toHaveLength(2);
    expect(left.filter((f) => f.startsWith('tiny-status-'))).toHaveLength(1);
    expect(load('status').cache).toBe('used');
  });

  it('ignores a damaged cache, runs from source and writes a good one', () => {
    load();
    const file = path.join(cache, files()[0]!);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10]! ^= 0xff;
    writeFileSync(file, bytes, { mode: 0o600 });
    expect(readCodeCache(file)).toEqual({ state: 'refused', reason: 'checksum mismatch' });
    expect(load()).toMatchObject({ cache: 'refused', answer: 40 });
    expect(load().cache).toBe('used');
  });

  it('hands V8 data with a good checksum but not its own, and V8 refuses it', () => {
    load();
    const file = path.join(cache, files()[0]!);
    expect(writeCodeCache(file, Buffer.alloc(4096, 7))).toBe(true);
    expect(load()).toMatchObject({ cache: 'rejected', answer: 40 });
    expect(load().cache).toBe('used');
  });

  it.runIf(process.platform !== 'win32')('refuses a cache file or folder that others can write, a symbolic link, a hard link and a FIFO', () => {
    load();
    const name = files()[0]!;
    const file = path.join(cache, name);
    chmodSync(file, 0o666);
    expect(readCodeCache(file).state).toBe('refused');
    expect(load().cache).toBe('refused'); // and that run wrote a good one in its place
    expect(readCodeCache(file).state).toBe('valid');
    chmodSync(cache, 0o777);
    expect(readCodeCache(file)).toMatchObject({ state: 'refused', reason: expect.stringMatching(/writable by group or others/) });
    chmodSync(cache, 0o700);
    // A folder above it that others can write (not sticky, unlike /tmp): they could swap the whole folder.
    chmodSync(path.dirname(cache), 0o775);
    expect(readCodeCache(file)).toMatchObject({ state: 'refused', reason: expect.stringContaining(path.dirname(cache)) });
    chmodSync(path.dirname(cache), 0o755);
    expect(readCodeCache(file).state).toBe('valid');

    const elsewhere = path.join(dir, 'elsewhere.v8');
    writeFileSync(elsewhere, readFileSync(file), { mode: 0o600 });
    const linked = path.join(cache, 'linked.v8');
    symlinkSync(elsewhere, linked);
    expect(readCodeCache(linked).state).toBe('refused');
    const second = path.join(cache, 'second-name.v8');
    linkSync(elsewhere, second);
    expect(readCodeCache(second)).toMatchObject({ state: 'refused', reason: expect.stringMatching(/hard links/) });
    const fifo = path.join(cache, 'fifo.v8');
    execFileSync('mkfifo', [fifo]);
    // Opened without blocking, then refused: no writer ever comes, and the run must not wait for one.
    expect(readCodeCache(fifo)).toMatchObject({ state: 'refused', reason: expect.stringMatching(/not a code cache/) });
  });

  it.runIf(process.platform !== 'win32' && process.getuid?.() === 0)('as root, takes nothing from and creates nothing in another user’s folders', () => {
    load();
    const file = path.join(cache, files()[0]!);
    chownSync(file, 12345, 12345);
    expect(readCodeCache(file)).toMatchObject({ state: 'refused', reason: expect.stringMatching(/uid 12345/) });
    chownSync(file, 0, 0);
    chownSync(cache, 12345, 12345);
    expect(readCodeCache(file)).toMatchObject({ state: 'refused', reason: expect.stringMatching(/uid 12345/) });
    // Root with another user's HOME: that user's ~/.cache gets no root-owned folders.
    const home = path.join(dir, 'alice');
    mkdirSync(home, { mode: 0o755 });
    chownSync(home, 12345, 12345);
    expect(writeCodeCache(path.join(home, '.cache', 'gitfleet', 'code', 'x.v8'), Buffer.alloc(64, 1))).toBe(false);
    expect(readdirSync(home)).toEqual([]);
  });

  it('prunes earlier builds of its own install and anything a month old, never another install’s current cache', () => {
    mkdirSync(cache, { recursive: true });
    const touch = (name: string, ageDays = 0) => {
      writeFileSync(path.join(cache, name), 'x');
      const t = new Date(Date.now() - ageDays * 86_400_000);
      utimesSync(path.join(cache, name), t, t);
    };
    touch('cli-status-aaa-build1-rt.v8');
    touch('cli-status-aaa-build2-rt.v8');
    touch('cli-status-aaa-build2-rt2.v8');
    touch('cli-status-bbb-build9-rt.v8');
    touch('cli-agent-bbb-build9-rt.v8', 40);
    touch('cli-status-aaa-build2-rt.v8.1234.1.tmp', 40);
    touch('cli-status-aaa-build2-rt.v8.1235.1.tmp');
    pruneCodeCaches(cache, 'cli-status-aaa-', 'cli-status-aaa-build2-');
    expect(readdirSync(cache).sort()).toEqual([
      'cli-status-aaa-build2-rt.v8',
      'cli-status-aaa-build2-rt.v8.1235.1.tmp',
      'cli-status-aaa-build2-rt2.v8',
      'cli-status-bbb-build9-rt.v8',
    ]);
  });

  it('runs the same from source when the cache is off', () => {
    const off = loadBundle<{ answer(n: number): number }>(bundle, null, 'status');
    expect(off.cache).toBe('off');
    expect(off.exports.answer(4)).toBe(8);
    off.saveCodeCache();
    expect(readdirSync(dir).sort()).toEqual(['dist']);
  });
});

describe('codeCacheDir', () => {
  it('is GITFLEET_CODE_CACHE’s folder, systemd’s gitfleet cache folder in a unit, else the user’s cache root; none when off', () => {
    expect(codeCacheDir({ GITFLEET_CODE_CACHE: '/var/cache/gitfleet/code', CACHE_DIRECTORY: '/var/cache/gitfleet' })).toBe('/var/cache/gitfleet/code');
    expect(codeCacheDir({ CACHE_DIRECTORY: '/var/cache/other:/var/cache/gitfleet', HOME: '/home/x' })).toBe(path.join('/var/cache/gitfleet', 'code'));
    if (process.platform === 'linux') {
      expect(codeCacheDir({ XDG_CACHE_HOME: '/tmp/xdg' })).toBe(path.join('/tmp/xdg', 'gitfleet', 'code'));
      // Another unit's cache folder, inherited by a gitfleet it starts, is not gitfleet's.
      expect(codeCacheDir({ CACHE_DIRECTORY: '/var/cache/ci-runner', XDG_CACHE_HOME: '/tmp/xdg' })).toBe(path.join('/tmp/xdg', 'gitfleet', 'code'));
      expect(codeCacheDir({ GITFLEET_CODE_CACHE: 'relative/dir', XDG_CACHE_HOME: '/tmp/xdg' })).toBe(path.join('/tmp/xdg', 'gitfleet', 'code'));
    }
    expect(codeCacheDir({ GITFLEET_CODE_CACHE: '0', CACHE_DIRECTORY: '/var/cache/gitfleet' })).toBeNull();
    expect(codeCacheDir({ GITFLEET_CODE_CACHE: 'off' })).toBeNull();
  });
});
