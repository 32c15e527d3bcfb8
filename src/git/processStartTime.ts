import { promises as fs } from 'node:fs';

/**
 * When a process started, as the kernel counts it (Linux: field 22 of /proc/<pid>/stat,
 * clock ticks since boot), or null where that cannot be read (other systems, a process
 * that is gone). A pid is reused after its process ends; the pair (pid, start time) is not.
 */
export async function processStartTime(pid: number): Promise<string | null> {
  if (process.platform !== 'linux' || !Number.isInteger(pid) || pid <= 0) return null;
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // "<pid> (<comm>) <state> ...": comm may hold spaces and parentheses, so count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[19];
    return start && /^\d+$/.test(start) ? start : null;
  } catch {
    return null;
  }
}
