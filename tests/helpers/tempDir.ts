import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A fresh temporary folder, removed by cleanupTempDirs() (called from afterAll). */
export function tempDir(prefix = 'gitfleet-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * Removes every folder tempDir() made. A process a test killed (SIGKILL stops node, not the
 * git it started) may still be writing in one: rmSync then fails with ENOTEMPTY, so it
 * retries (Node's own retry, for ENOTEMPTY and EBUSY) instead of failing the file.
 */
export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}
