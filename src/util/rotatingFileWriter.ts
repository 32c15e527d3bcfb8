import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * A line writer for a log file that keeps itself small: past `maxBytes` the file is
 * renamed to `<file>.1` (replacing the previous one) and a new file is started.
 * Synchronous appends: an agent logs a few lines a minute, and a line must not be lost
 * when the process is killed right after writing it.
 */
export function rotatingFileWriter(file: string, maxBytes = 1024 * 1024): (line: string) => void {
  mkdirSync(path.dirname(file), { recursive: true });
  return (line: string) => {
    try {
      if (statSync(file).size > maxBytes) renameSync(file, `${file}.1`);
    } catch {
      // No file yet: it is created by the append below.
    }
    appendFileSync(file, `${line}\n`, { mode: 0o600 });
  };
}
