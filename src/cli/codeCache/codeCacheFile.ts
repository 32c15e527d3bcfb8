import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { untrustedFolder } from './untrustedFolder.js';

/**
 * A file of V8 code cache, as the launcher keeps it (src/cli/codeCache/loadBundle.ts):
 * "GFCC2\n", the CRC-32 of the data (4 bytes, big-endian), then the data V8 made
 * (vm.Script#createCachedData).
 *
 * V8 checks that cached code fits its version, flags and the source's length, but in a
 * release build it does not check the data itself, and bad data is bad machine code. So the
 * file is read like every local cache (DESIGN.md: the cache is untrusted): damage (a torn
 * write, a bad disk) fails the checksum, and the file and every folder above it must be such
 * that no other account could have put it there (untrustedFolder.ts). What fails is ignored;
 * the run compiles from source. The checksum is CRC-32, not a cryptographic hash: it is there
 * for damage, and against an attacker only the folder checks help (whoever can write a file
 * that passes them runs code as this user already). node:zlib loads in ~0.5 ms where
 * node:crypto took ~3.5 ms, on the path `status` takes before it starts its fetch
 * (docs/decisions.md).
 */
const MAGIC = Buffer.from('GFCC2\n');
const HEADER = MAGIC.length + 4;
/** V8's cache of the whole CLI is ~1 MB; anything far beyond that is not ours. */
const MAX_BYTES = 64 * 1024 * 1024;

export type CodeCacheRead = { state: 'valid'; data: Buffer } | { state: 'absent' } | { state: 'refused'; reason: string };

export function readCodeCache(file: string): CodeCacheRead {
  // The folders first: a file is only opened where no one else can have put it (a FIFO there would block the open).
  const folder = untrustedFolder(path.dirname(file));
  if (folder === 'missing') return { state: 'absent' };
  if (folder) return { state: 'refused', reason: folder };
  let fd: number;
  try {
    // O_NOFOLLOW: a symbolic link in place of the file is refused; O_NONBLOCK: nor does a FIFO block the run.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { state: 'absent' } : { state: 'refused', reason: String((error as Error).message) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size <= HEADER || stat.size > MAX_BYTES) return { state: 'refused', reason: `not a code cache (${stat.size} bytes)` };
    const foreign = foreignFile(stat);
    if (foreign) return { state: 'refused', reason: foreign };
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    if (read !== bytes.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { state: 'refused', reason: 'not a code cache' };
    const data = bytes.subarray(HEADER);
    if (!digest(data).equals(bytes.subarray(MAGIC.length, HEADER))) return { state: 'refused', reason: 'checksum mismatch' };
    return { state: 'valid', data };
  } catch (error) {
    return { state: 'refused', reason: String((error as Error).message) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `data` as `file` all at once (a temporary file renamed over it, so a reader sees
 * the old file or the new one), readable by this user only. Creates the folder only inside
 * this user's own folders (root running with another user's HOME creates nothing there).
 * Best effort: a cache that cannot be written costs the next run its compile time, nothing else.
 */
export function writeCodeCache(file: string, data: Buffer): boolean {
  const dir = path.dirname(file);
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    if (untrustedFolder(dir) === 'missing') {
      if (!ownNearestFolder(dir)) return false;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    }
    if (untrustedFolder(dir)) return false;
    writeFileSync(temp, Buffer.concat([MAGIC, digest(data), data]), { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
    return true;
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
}

/** Why a cache file could be someone else's, or undefined. */
function foreignFile(stat: { uid: number; mode: number; nlink: number }): string | undefined {
  // Windows has no owners or modes here: what protects the file is the ACL of the user's own %LOCALAPPDATA%.
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  if (stat.uid !== process.getuid()) return `owned by uid ${stat.uid}, not this user`;
  if ((stat.mode & 0o022) !== 0) return `writable by group or others (mode ${(stat.mode & 0o777).toString(8)})`;
  // A second name for the file could be anywhere, and written through.
  if (stat.nlink !== 1) return `has ${stat.nlink} names (hard links)`;
  return undefined;
}

/** Whether the nearest folder above `dir` that exists is this user's (so creating below it creates nothing in another's). */
function ownNearestFolder(dir: string): boolean {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return true;
  for (let p = path.dirname(dir); ; p = path.dirname(p)) {
    const state = untrustedFolder(p, { own: true });
    if (state !== 'missing') return state === undefined;
    if (path.dirname(p) === p) return false;
  }
}

function digest(data: Buffer): Buffer {
  // Loaded here, not at the top: `gitfleet --version` never needs node:zlib.
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(process.getBuiltinModule('node:zlib').crc32(data));
  return sum;
}
