import { CacheCorruptError } from '../errors/index.js';

/** Objects the local cache should hold but does not: cache damage, never an invalid record. */
export function missingObjects(oids: readonly string[]): CacheCorruptError {
  return new CacheCorruptError(
    `the local git cache is damaged: ${oids.length} object(s) missing (${oids[0]?.slice(0, 12) ?? '?'}${oids.length > 1 ? ', ...' : ''})`,
    {
      hint: 'delete the cache directory (see --cache-dir) and run again',
      data: { missing: oids.slice(0, 20) },
    },
  );
}
