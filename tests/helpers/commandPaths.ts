import { commandName, commands } from '../../src/cli/commands/index.js';

/** What this walk reads of a GitfleetCommand. */
interface Named {
  command: string | string[];
  subcommands?: Named[];
}

/** Every command of the lazy table and their subcommands, as the words that run them ("msg send"). */
export async function commandPaths(): Promise<string[]> {
  const paths: string[] = [];
  const nameOf = (cmd: Named) => (Array.isArray(cmd.command) ? cmd.command[0]! : cmd.command).split(' ')[0]!;
  const walk = (cmd: Named, prefix: string[]) => {
    const name = nameOf(cmd);
    const path = [...prefix, name];
    paths.push(path.join(' '));
    for (const sub of cmd.subcommands ?? []) walk(sub, path);
  };
  for (const entry of commands) {
    const cmd = await entry.load();
    if (nameOf(cmd) !== commandName(entry)) throw new Error(`${commandName(entry)} loads ${nameOf(cmd)}`);
    walk(cmd, []);
  }
  return paths;
}
