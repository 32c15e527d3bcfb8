import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { InstallManifest } from '../install/installAgent.js';
import { cronMarker } from '../install/cronLine.js';
import { type CommandRunner, runCommand } from '../install/systemCommands.js';
import { type CheckResult, fail, ok, warn } from './DoctorCheck.js';

/** Where `gitfleet agent install` records what it installed (agentInstallCommands.ts). */
export function installManifestPath(dataDir: string): string {
  return path.join(dataDir, 'agent-install.json');
}

/**
 * The scheduler entry that `agent install` made: its manifest, the files it lists, and
 * for cron the crontab line. No manifest is fine on an operator's machine; on a server
 * (a server id is configured) it means no agent runs.
 */
export async function checkScheduler(dataDir: string, server: string | undefined, run: CommandRunner = runCommand): Promise<CheckResult> {
  const manifestPath = installManifestPath(dataDir);
  let manifest: InstallManifest;
  try {
    manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8')) as InstallManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      return fail('scheduler', `the install manifest ${manifestPath} is unreadable`, 'run `gitfleet agent install` again (it replaces the installation)');
    if (server)
      return warn(
        'scheduler',
        `no agent installed for server ${server} (no ${manifestPath})`,
        'run `gitfleet agent install` (or `gitfleet agent` under your own supervisor)',
      );
    return ok('scheduler', 'no agent installed on this machine (no server id configured: fine for an operator)');
  }
  const missing: string[] = [];
  for (const file of manifest.files ?? []) if (!(await fs.stat(file).catch(() => null))) missing.push(file);
  if (missing.length) return fail('scheduler', `${manifest.scheduler} entry incomplete: ${missing.join(', ')} missing`, 'run `gitfleet agent install` again');
  if (manifest.scheduler === 'cron') {
    const table = await run(['crontab', '-l']);
    const marker = manifest.crontabMarker ?? cronMarker(manifest.configPath);
    if (table.code !== 0 || !table.stdout.split('\n').some((l) => l.endsWith(marker)))
      return fail('scheduler', 'cron entry missing from the crontab', 'run `gitfleet agent install --scheduler cron` again');
  }
  if (!(await fs.stat(manifest.configPath).catch(() => null)))
    return fail('scheduler', `${manifest.scheduler} agent configured by ${manifest.configPath}, which is missing`, 'run `gitfleet agent install` again');
  return ok(
    'scheduler',
    `${manifest.scheduler} agent installed ${manifest.installedAt} (${manifest.files.length} file${manifest.files.length === 1 ? '' : 's'}${manifest.crontabMarker ? ', a crontab line' : ''})`,
  );
}
