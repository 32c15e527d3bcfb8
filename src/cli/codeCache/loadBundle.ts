import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { sha256Hex } from '../../util/sha256Hex.js';
import { readCodeCache, writeCodeCache } from './codeCacheFile.js';
import { pruneCodeCaches } from './pruneCodeCaches.js';

export interface LoadedBundle<T> {
  exports: T;
  /** What happened to the cache: used, written at the end of this run, or not kept. */
  cache: 'used' | 'missing' | 'refused' | 'rejected' | 'off';
  /**
   * Stores V8's compiled code when this run had none it could use. Call after the work, and
   * only after a run that succeeded: a failed one (a wrong flag, a typo for a command)
   * compiled too little to be worth keeping until the next build.
   */
  saveCodeCache(): void;
}

/**
 * Loads one of the CLI's CommonJS bundles (dist/cli.cjs, dist/statusFetch.cjs) the way
 * require() would, but through vm.Script so that V8 can take its compiled code from a cache
 * file instead of compiling again: Node 20 has no compile cache of its own (that came with
 * Node 22's module.enableCompileCache), and compiling is most of what a short command costs
 * after node's own start (docs/benchmarks.md, bench:cli, "Fifth step").
 *
 * The cache file is per bundle, install, build, node and first argument (the command), made
 * at the end of the first good run that had none (so it holds the functions that command
 * compiled), and read as an untrusted file (codeCacheFile.ts). With `cacheDir` null nothing
 * is read or kept.
 */
export function loadBundle<T>(file: string, cacheDir: string | null, command: string): LoadedBundle<T> {
  // The build keeps the bundles ASCII (scripts/build.mjs), so latin1 reads the same text, faster.
  const source = readFileSync(file, 'latin1');
  const key = cacheDir ? cacheKey(file, command) : null;
  const cacheFile = cacheDir && key ? path.join(cacheDir, `${key.install}${key.build}-${key.runtime}.v8`) : null;
  const read = cacheFile ? readCodeCache(cacheFile) : { state: 'absent' as const };
  // No importModuleDynamically: Node 20 drops it for code taken from a cache, so the bundles
  // are built without import() (scripts/build.mjs checks), and one left would fail at once.
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData: read.state === 'valid' ? read.data : undefined });
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: { exports: T }, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  const cache: LoadedBundle<T>['cache'] = !cacheFile
    ? 'off'
    : read.state === 'valid'
      ? script.cachedDataRejected
        ? 'rejected'
        : 'used'
      : read.state === 'absent'
        ? 'missing'
        : 'refused';
  return {
    exports: module.exports,
    cache,
    saveCodeCache() {
      if (!cacheFile || !key || cache === 'used') return;
      // Many runs of one command can start together (a fleet's agents on one host): the first to finish writes it.
      if (cache === 'missing' && existsSync(cacheFile)) return;
      if (writeCodeCache(cacheFile, script.createCachedData())) pruneCodeCaches(path.dirname(cacheFile), key.install, `${key.install}${key.build}-`);
    },
  };
}

/**
 * The parts of a cache file's name. `install`: the bundle, the command (one of a few dozen
 * words; anything else is "other") and where the bundle is installed, so two installs used
 * in turn keep a cache each. `build`: the bundle's size, time and inode, which an install
 * replacing it changes. `runtime`: node, the CPU and node's flags (V8 refuses code cached
 * under other flags, and runs that alternate flags must not overwrite each other's cache).
 */
function cacheKey(file: string, command: string): { install: string; build: string; runtime: string } {
  const stat = statSync(file);
  const name = path.basename(file, path.extname(file));
  const word = /^[a-z][a-z-]{0,31}$/.test(command) ? command : 'other';
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0');
  return {
    install: `${name}-${word}-${hash(realpathSync(file))}-`,
    build: hash(`${stat.size}:${stat.mtimeMs}:${stat.ino}`),
    runtime: hash(`${process.version}:${process.arch}:${process.execPath}:${flags}`),
  };
}

function hash(text: string): string {
  return sha256Hex(text).slice(0, 12);
}
