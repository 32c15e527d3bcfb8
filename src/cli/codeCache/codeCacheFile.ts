import { closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A file of V8 code cache, as the launcher keeps it (src/cli/codeCache/loadBundle.ts):
 * "GFCC1\n", the SHA-256 of the data, then the data V8 made (vm.Script#createCachedData).
 *
 * V8 checks that cached code fits its version, flags and the source's length, but in a
 * release build it does not check the data itself, and bad data is bad machine code. So the
 * file is read like every local cache (DESIGN.md: the cache is untrusted): damage fails the
 * checksum, and the file and its folder must be this user's and writable by nobody else, so
 * no other account can put code there. What fails is ignored; the run compiles from source.
 */
const MAGIC = Buffer.from('GFCC1\n');
const HEADER = MAGIC.length + 32;
/** V8's cache of the whole CLI is ~1 MB; anything far beyond that is not ours. */
const MAX_BYTES = 64 * 1024 * 1024;

export type CodeCacheRead = { state: 'valid'; data: Buffer } | { state: 'absent' } | { state: 'refused'; reason: string };

export function readCodeCache(file: string): CodeCacheRead {
  let fd: number;
  try {
    // O_NOFOLLOW: a symbolic link put in place of the file is refused, not followed.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { state: 'absent' } : { state: 'refused', reason: String((error as Error).message) };
  }
  try {
    const stat = fstatSync(fd);
    const untrusted = ownedByOthers(stat) ?? ownedByOthers(statSync(path.dirname(file)));
    if (untrusted) return { state: 'refused', reason: untrusted };
    if (!stat.isFile() || stat.size <= HEADER || stat.size > MAX_BYTES) return { state: 'refused', reason: `not a code cache (${stat.size} bytes)` };
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
 * the old file or the new one), readable by this user only, and removes the files in the
 * same folder whose names start with `stale.prefix` but not `stale.keep` (caches of earlier
 * builds). Best effort: a cache that cannot be written costs the next run its compile time.
 */
export function writeCodeCache(file: string, data: Buffer, stale: { prefix: string; keep: string }): void {
  const dir = path.dirname(file);
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (ownedByOthers(statSync(dir))) return;
    writeFileSync(temp, Buffer.concat([MAGIC, digest(data), data]), { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
    for (const name of readdirSync(dir)) {
      if (name.startsWith(stale.prefix) && !name.startsWith(stale.keep) && !name.endsWith('.tmp')) rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    rmSync(temp, { force: true });
  }
}

/** Why a file or folder could hold code another account put there, or undefined. */
function ownedByOthers(stat: { uid: number; mode: number }): string | undefined {
  // Windows has neither owners nor modes here: the folder is the user's own %LOCALAPPDATA%.
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  if (stat.uid !== process.getuid()) return `owned by uid ${stat.uid}, not this user`;
  if ((stat.mode & 0o022) !== 0) return `writable by group or others (mode ${(stat.mode & 0o777).toString(8)})`;
  return undefined;
}

function digest(data: Buffer): Buffer {
  // Loaded here, not at the top: `gitfleet --version` never needs node:crypto.
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(data).digest();
}
