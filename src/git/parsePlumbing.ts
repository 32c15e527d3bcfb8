import type { TreeEntry } from './GitBackend.js';

/** Parses `git ls-tree -r -l -z`: "<mode> <type> <oid> <size>\t<path>\0" per entry; blobs only. */
export function parseLsTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [, type, oid, size] = record.slice(0, tab).split(/ +/);
    if (type !== 'blob' || !oid) continue;
    entries.push({ path: record.slice(tab + 1), oid, size: size === undefined || size === '-' ? null : Number(size) });
  }
  return entries;
}

/** Parses `git cat-file --batch` output: "<oid> <type> <size>\n<bytes>\n" per object. */
export function parseCatFileBatch(out: Buffer): Map<string, Uint8Array> {
  const blobs = new Map<string, Uint8Array>();
  let pos = 0;
  while (pos < out.length) {
    const eol = out.indexOf(0x0a, pos);
    if (eol < 0) break;
    const header = out.subarray(pos, eol).toString('utf8').split(' ');
    pos = eol + 1;
    if (header[1] === 'missing' || header.length < 3) continue;
    const size = Number(header[2]);
    blobs.set(header[0]!, out.subarray(pos, pos + size));
    pos += size + 1;
  }
  return blobs;
}
