/**
 * git's tree objects, read and written byte for byte. isomorphic-git's own tree parser
 * refuses whole trees for one entry it dislikes (a name such as ".git" or "a\b", an
 * unusual mode), and git itself accepts them (`hash-object --literally`, any push to a
 * server without fsck). So both backends read trees with this one parser, never fail on
 * an entry, and say what is wrong with it; and a tree rebuilt on such a parent keeps
 * every entry it did not change exactly as it was.
 */
export interface RawTreeEntry {
  /** The mode as written in the tree ("100644", "40000", ...). */
  mode: string;
  /** The name's bytes (any bytes but NUL). */
  name: Buffer;
  oid: string;
}

export type EntryType = 'file' | 'executable' | 'symlink' | 'gitlink' | 'tree' | 'unknown';

/** The modes git itself writes; any other is reported, never read. */
const MODES: Record<string, EntryType> = {
  '100644': 'file',
  '100755': 'executable',
  '120000': 'symlink',
  '160000': 'gitlink',
  '40000': 'tree',
};

/** Raised for a tree object whose bytes are not a tree at all (a hostile object). */
export class MalformedTreeError extends Error {}

export function parseTreeObject(bytes: Uint8Array): RawTreeEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: RawTreeEntry[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    const nul = buf.indexOf(0x00, pos);
    if (space < 0 || nul < 0 || space > nul || nul + 21 > buf.length) throw new MalformedTreeError(`malformed tree entry at byte ${pos}`);
    entries.push({ mode: buf.toString('latin1', pos, space), name: Buffer.from(buf.subarray(space + 1, nul)), oid: buf.toString('hex', nul + 1, nul + 21) });
    pos = nul + 21;
  }
  return entries;
}

/** The bytes of a tree object, entries in git's order (a folder sorts as if its name ended in "/"). */
export function serializeTreeObject(entries: readonly RawTreeEntry[]): Buffer {
  const sorted = [...entries].sort(compareEntries);
  return Buffer.concat(sorted.flatMap((e) => [Buffer.from(`${e.mode} `, 'latin1'), e.name, Buffer.from([0]), Buffer.from(e.oid, 'hex')]));
}

function compareEntries(a: RawTreeEntry, b: RawTreeEntry): number {
  const an = entryType(a.mode) === 'tree' ? Buffer.concat([a.name, Buffer.from('/')]) : a.name;
  const bn = entryType(b.mode) === 'tree' ? Buffer.concat([b.name, Buffer.from('/')]) : b.name;
  return Buffer.compare(an, bn);
}

export function entryType(mode: string): EntryType {
  return MODES[mode] ?? 'unknown';
}

/** The six-digit mode git prints for an entry ("040000" for a folder). */
export function displayMode(mode: string): string {
  return mode.padStart(6, '0');
}

// HFS+ ignores these code points in names, so ".g\u200cit" is ".git" on a Mac.
const HFS_IGNORED = /[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]/g;

/**
 * Why a name may not be read as a path, or undefined when it is fine. The set is
 * isomorphic-git's (its tree parser throws on each) plus what no path may hold: git's
 * verify_path() rules for ".", "..", ".git" and its NTFS/HFS aliases, separators,
 * empty names and bytes that are not UTF-8.
 */
export function nameProblem(name: Buffer): string | undefined {
  if (name.length === 0) return 'an empty name';
  const text = name.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(name)) return 'a name that is not UTF-8';
  if (text.includes('/')) return 'a name with "/" in it';
  if (text.includes('\\')) return 'a name with "\\" in it';
  const hfs = text.replace(HFS_IGNORED, '');
  if (hfs === '.' || hfs === '..') return `the name ${JSON.stringify(text)}`;
  const ntfs = hfs
    .split(':')[0]!
    .toLowerCase()
    .replace(/[. ]+$/, '');
  if (ntfs === '.git' || /^\.?git~[1-9]$/.test(ntfs)) return 'a name git reserves (.git)';
  return undefined;
}

/** Why an entry is not a plain file or folder gitfleet may read, or undefined. */
export function entryProblem(entry: RawTreeEntry): string | undefined {
  const name = nameProblem(entry.name);
  if (name) return `a name git refuses to check out (${name})`;
  switch (entryType(entry.mode)) {
    case 'file':
    case 'executable':
    case 'tree':
      return undefined;
    case 'symlink':
      return 'a symlink';
    case 'gitlink':
      return 'a gitlink (submodule)';
    default:
      return `an unusual mode ${JSON.stringify(entry.mode.slice(0, 12))}`;
  }
}
