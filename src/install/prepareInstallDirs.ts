import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors/index.js';
import type { InstallLocations } from './installLocations.js';
import { type CommandRunner, runCommand } from './systemCommands.js';

/** The account the installed agent runs as. */
export interface AgentAccount {
  name: string;
  uid: number;
  gid: number;
}

/** Looks a user up (getent/id), for chown; refuses an unknown name before anything is written. */
export async function lookUpAccount(name: string, run: CommandRunner = runCommand): Promise<AgentAccount> {
  const uid = await run(['id', '-u', name]);
  const gid = await run(['id', '-g', name]);
  if (uid.code !== 0 || gid.code !== 0)
    throw new UsageError(`--run-as ${name}: no such user on this machine`, { hint: 'create it first, e.g. useradd --system --no-create-home gitfleet' });
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Creates the machine-wide folders and writes the agent's config so that exactly the
 * agent's account can use them: the config folder is root's (0755), the config and
 * token files root:<agent group> 0640 (read-only for the agent, secret from everyone
 * else); state, cache and log folders belong to the agent's account, 0750.
 */
export async function prepareSystemDirs(
  loc: InstallLocations,
  account: AgentAccount | undefined,
  files: { path: string; content: string }[],
  logs: 'journal' | 'file',
): Promise<void> {
  const owner = account ?? { uid: 0, gid: 0 };
  const owned = [loc.stateDir, loc.cacheDir, ...(logs === 'file' ? [path.dirname(loc.logFile)] : [])];
  // Parents (/etc, /var/lib, ...) as anyone may traverse them: mkdir's mode would apply to them too.
  for (const dir of [loc.configDir, ...owned]) await fs.mkdir(path.dirname(dir), { recursive: true, mode: 0o755 });
  await fs.mkdir(loc.configDir, { recursive: true, mode: 0o755 });
  await fs.chown(loc.configDir, 0, 0);
  await fs.chmod(loc.configDir, 0o755);
  for (const dir of owned) {
    await fs.mkdir(dir, { recursive: true, mode: 0o750 });
    // chown, not just mkdir: an earlier install may have made it for another account.
    await fs.chown(dir, owner.uid, owner.gid);
    await fs.chmod(dir, 0o750);
  }
  for (const file of files) {
    // Written under a temporary name and renamed, so the file is never readable by others even briefly.
    const tmp = `${file.path}.tmp-${process.pid}`;
    await fs.writeFile(tmp, file.content, { mode: 0o600 });
    await fs.chown(tmp, 0, owner.gid);
    await fs.chmod(tmp, account ? 0o640 : 0o600);
    await fs.rename(tmp, file.path);
  }
}
