import { promises as fs, readFileSync } from 'node:fs';

/**
 * When a process started, as the kernel counts it (Linux: field 22 of /proc/<pid>/stat,
 * clock ticks since boot), or null where that cannot be read (other systems, a process
 * that is gone). A pid is reused after its process ends; the pair (pid, start time) is not.
 */
export async function processStartTime(pid: number): Promise<string | null> {
  if (!readable(pid)) return null;
  try {
    return startField(await fs.readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** processStartTime, read synchronously (CacheLock.tryAcquireNow). */
export function processStartTimeNow(pid: number): string | null {
  if (!readable(pid)) return null;
  try {
    return startField(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

const readable = (pid: number) => process.platform === 'linux' && Number.isInteger(pid) && pid > 0;

function startField(stat: string): string | null {
  // "<pid> (<comm>) <state> ...": comm may hold spaces and parentheses, so count from the last ")".
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return start && /^\d+$/.test(start) ? start : null;
}
