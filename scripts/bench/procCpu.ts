import { readFileSync } from 'node:fs';

/**
 * CPU seconds used by this process and its reaped children (the git processes it ran),
 * from /proc/self/stat (Linux). process.cpuUsage() would miss the git children.
 */
export function cpuSecondsWithChildren(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After the command name: utime=11, stime=12, cutime=13, cstime=14 (0-based from "state").
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / 100;
}
