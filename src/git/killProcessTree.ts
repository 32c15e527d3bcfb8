import { readdirSync, readFileSync } from 'node:fs';

/**
 * Sends `signal` to a process and every process below it. Killing only git leaves its
 * helpers behind: `git fetch` over HTTP runs `git-remote-http`, which keeps waiting on a
 * silent server (curl has no timeout of its own) long after git is gone, holding the socket
 * (measured: still there after SIGTERM to git). On Linux the tree is read from /proc;
 * elsewhere only the process itself is signalled.
 */
export function killProcessTree(pid: number, signal: NodeJS.Signals): void {
  for (const target of [...descendants(pid), pid]) {
    try {
      process.kill(target, signal);
    } catch {}
  }
}

function descendants(root: number): number[] {
  if (process.platform !== 'linux') return [];
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const name of entries) {
    try {
      // The command name (field 2) is in parentheses and may hold spaces: ppid follows the last ")".
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {}
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}
