import { closeSync, promises as fs, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/** What a cache lock file says of its owner (CacheLock). */
export interface LockOwner {
  pid: number;
  host: string;
  since: number;
  /** The owner's process start time (processStartTime), where the system tells it. */
  start?: string;
}

/** The lock file's text for this process, taking the lock now. */
export function ownerText(start: string | null): string {
  return JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now(), ...(start ? { start } : {}) });
}

/**
 * Creates the lock file naming this process, if there is none: false when one exists. A
 * file that could not be written whole is removed (an empty one would hold others off until
 * it turned stale); other failures are thrown.
 */
export async function createLockFile(file: string, start: string | null): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (error) {
    return exists(error);
  }
  try {
    await handle.writeFile(ownerText(start));
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.unlink(file).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return true;
}

/**
 * createLockFile without the thread pool, for a process that has nothing else to do yet
 * (CacheLock.tryAcquireNow).
 */
export function createLockFileNow(file: string, start: string | null): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    return exists(error);
  }
  try {
    writeFileSync(fd, ownerText(start));
  } catch (error) {
    closeSync(fd);
    try {
      unlinkSync(file);
    } catch {}
    throw error;
  }
  closeSync(fd);
  return true;
}

/** The owner the file names, if it is a lock file that names one. */
export function readOwnerNow(file: string): LockOwner | null {
  try {
    return parseOwner(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function parseOwner(text: string): LockOwner | null {
  const owner = JSON.parse(text) as Partial<LockOwner> | null;
  return typeof owner?.pid === 'number' && typeof owner.host === 'string' ? (owner as LockOwner) : null;
}

export function isThisProcess(owner: LockOwner | null): owner is LockOwner {
  return owner?.pid === process.pid && owner.host === os.hostname();
}

/** The lock file exists (false); any other failure to create it is thrown. */
function exists(error: unknown): false {
  if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  return false;
}
