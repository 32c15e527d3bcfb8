import type { StoredObject } from './walkTree.js';

export interface CatFileResult {
  objects: Map<string, StoredObject>;
  /** Names git answered "missing" (or "ambiguous") for. */
  missing: string[];
}

/**
 * Parses `git cat-file --batch` output: "<oid> <type> <size>\n<bytes>\n" per object,
 * "<name> missing\n" for one the repository does not hold. Keyed by the requested name
 * (answers come in request order).
 */
export function parseCatFileBatch(out: Buffer, names: readonly string[]): CatFileResult {
  const objects = new Map<string, StoredObject>();
  const missing: string[] = [];
  let pos = 0;
  for (const name of names) {
    const eol = out.indexOf(0x0a, pos);
    if (eol < 0) {
      missing.push(name);
      continue;
    }
    const header = out.subarray(pos, eol).toString('utf8').split(' ');
    pos = eol + 1;
    if (header.length < 3 || !/^\d+$/.test(header[2]!)) {
      missing.push(name);
      continue;
    }
    const size = Number(header[2]);
    if (pos + size > out.length) {
      missing.push(name);
      break;
    }
    objects.set(name, { type: header[1]!, content: out.subarray(pos, pos + size) });
    pos += size + 1;
  }
  return { objects, missing };
}

/** Parses `git cat-file --batch-check` output: "<oid> <type> <size>" or "<name> missing" per line. */
export function parseCatFileCheck(out: Buffer, names: readonly string[]): { sizes: Map<string, number>; missing: string[] } {
  const lines = out.toString('utf8').split('\n');
  const sizes = new Map<string, number>();
  const missing: string[] = [];
  names.forEach((name, i) => {
    const parts = (lines[i] ?? '').split(' ');
    if (parts.length === 3 && /^\d+$/.test(parts[2]!)) sizes.set(name, Number(parts[2]));
    else missing.push(name);
  });
  return { sizes, missing };
}
