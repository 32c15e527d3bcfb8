import { existsSync, readFileSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { readCodeCache, writeCodeCache } from './codeCacheFile.js';

export interface LoadedBundle<T> {
  exports: T;
  /** What happened to the cache: used, written at the end of this run, or not kept. */
  cache: 'used' | 'missing' | 'refused' | 'rejected' | 'off';
  /** Stores V8's compiled code when this run had none it could use; call after the work. */
  saveCodeCache(): void;
}

/**
 * Loads one of the CLI's CommonJS bundles (dist/cli.cjs, dist/statusFetch.cjs) the way
 * require() would, but through vm.Script so that V8 can take its compiled code from a cache
 * file instead of compiling again: Node 20 has no compile cache of its own (that came with
 * Node 22's module.enableCompileCache), and compiling is most of what a short command costs
 * after node's own start (docs/benchmarks.md, "Fifth step").
 *
 * The cache file is per bundle, build, node and first argument (the command), made at the
 * end of the first run that had none (so it holds the functions that command compiled), and
 * read as an untrusted file (codeCacheFile.ts). With `cacheDir` null nothing is read or kept.
 */
export function loadBundle<T>(file: string, cacheDir: string | null, command: string): LoadedBundle<T> {
  const source = readFileSync(file, 'utf8');
  const name = path.basename(file, path.extname(file));
  const { build, runtime } = fingerprint(file);
  // Earlier builds' caches of this bundle and command start with `prefix` (and are removed).
  const prefix = `${name}-${/^[a-z][a-z-]{0,31}$/.test(command) ? command : 'other'}-`;
  const cacheFile = cacheDir ? path.join(cacheDir, `${prefix}${build}-${runtime}.v8`) : null;
  const read = cacheFile ? readCodeCache(cacheFile) : { state: 'absent' as const };
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData: read.state === 'valid' ? read.data : undefined,
    // No importModuleDynamically: Node 20 drops it for code taken from a cache, so the bundles
    // are built without import() (scripts/build.mjs), and one left would fail at once.
  });
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
      if (!cacheFile || cache === 'used') return;
      // Many runs of one command can start together (a fleet's agents on one host): the first to finish writes it.
      if (cache === 'missing' && existsSync(cacheFile)) return;
      writeCodeCache(cacheFile, script.createCachedData(), { prefix, keep: `${prefix}${build}-` });
    },
  };
}

/**
 * The bundle's build (its size, time and inode change when an install replaces it), then
 * node, the CPU and node's flags: V8 refuses code cached under other flags, and runs that
 * alternate flags must not overwrite each other's cache every time.
 */
function fingerprint(file: string): { build: string; runtime: string } {
  const stat = statSync(file);
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0');
  return { build: hash(`${stat.size}:${stat.mtimeMs}:${stat.ino}`), runtime: hash(`${process.version}:${process.arch}:${process.execPath}:${flags}`) };
}

function hash(text: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('hex').slice(0, 12);
}
