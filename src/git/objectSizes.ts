import { promises as fs } from 'node:fs';
import path from 'node:path';
import { constants, inflateSync } from 'node:zlib';

interface PackIndex {
  pack: string;
  offsets: Map<string, number>;
}

/**
 * Sizes of objects in a repository's object store without inflating them: the header of
 * a loose object, or the entry header in a pack (and, for a delta, the result size at
 * the start of its delta). isomorphic-git has no such call: it inflates a whole object
 * (and loads its whole pack) to learn its size, so a hostile 150 MB record cost its full
 * size in memory before being refused as too large. Objects whose size cannot be told
 * cheaply are left out (the caller then reads them as before).
 */
export async function objectSizes(gitdir: string, oids: readonly string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  let packs: PackIndex[] | undefined;
  for (const oid of new Set(oids)) {
    const loose = await looseSize(path.join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2)));
    if (loose !== null) {
      sizes.set(oid, loose);
      continue;
    }
    packs ??= await readPackIndexes(path.join(gitdir, 'objects', 'pack'));
    for (const p of packs) {
      const offset = p.offsets.get(oid);
      if (offset === undefined) continue;
      const size = await packedSize(p.pack, offset);
      if (size !== null) sizes.set(oid, size);
      break;
    }
  }
  return sizes;
}

async function readAt(file: string, position: number, length: number): Promise<Buffer | null> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Inflates the start of a zlib stream (enough for a header). */
function inflateStart(deflated: Buffer): Buffer | null {
  try {
    return inflateSync(deflated, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return null;
  }
}

async function looseSize(file: string): Promise<number | null> {
  const head = await readAt(file, 0, 256);
  if (!head || head.length === 0) return null;
  const text = inflateStart(head)?.toString('latin1') ?? '';
  const m = /^(?:blob|tree|commit|tag) (\d+)\0/.exec(text);
  return m ? Number(m[1]) : null;
}

async function readPackIndexes(dir: string): Promise<PackIndex[]> {
  const out: PackIndex[] = [];
  for (const name of (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.idx'))) {
    const idx = await fs.readFile(path.join(dir, name)).catch(() => null);
    // Version 2 only (what git and isomorphic-git write): "\377tOc", 2, fanout, names, crcs, offsets, large offsets.
    if (!idx || idx.length < 8 + 1024 || idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) continue;
    const count = idx.readUInt32BE(8 + 255 * 4);
    const names = 8 + 1024;
    const offsetsAt = names + count * 20 + count * 4;
    const largeAt = offsetsAt + count * 4;
    if (idx.length < largeAt) continue;
    const offsets = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      let offset = idx.readUInt32BE(offsetsAt + i * 4);
      if (offset & 0x80000000) {
        const at = largeAt + (offset & 0x7fffffff) * 8;
        if (at + 8 > idx.length) continue;
        offset = Number(idx.readBigUInt64BE(at));
      }
      offsets.set(idx.toString('hex', names + i * 20, names + i * 20 + 20), offset);
    }
    out.push({ pack: path.join(dir, name.replace(/\.idx$/, '.pack')), offsets });
  }
  return out;
}

async function packedSize(pack: string, offset: number): Promise<number | null> {
  const head = await readAt(pack, offset, 32 + 512);
  if (!head || head.length < 2) return null;
  let pos = 0;
  let byte = head[pos++]!;
  const type = (byte >> 4) & 7;
  let size = byte & 0x0f;
  let shift = 4;
  while (byte & 0x80 && pos < head.length) {
    byte = head[pos++]!;
    size += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  }
  if (type >= 1 && type <= 4) return size;
  if (type === 6) {
    // OFS_DELTA: the base's distance, then the delta.
    do byte = head[pos++]!;
    while (byte & 0x80 && pos < head.length);
  } else if (type === 7) {
    pos += 20; // REF_DELTA: the base's id
  } else {
    return null;
  }
  // A delta starts with the base size, then the result size (little-endian base-128).
  const delta = inflateStart(head.subarray(pos));
  if (!delta) return null;
  let at = 0;
  const varint = () => {
    let value = 0;
    let s = 0;
    let b;
    do {
      if (at >= delta.length) return null;
      b = delta[at++]!;
      value += (b & 0x7f) * 2 ** s;
      s += 7;
    } while (b & 0x80);
    return value;
  };
  if (varint() === null) return null;
  return varint();
}
