import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { GitfleetError, UnsupportedError } from '../errors/index.js';
import type { Logger } from '../util/logger.js';
import { cronMarker } from './cronLine.js';
import type { InstallPlan, SchedulerKind } from './InstallSpec.js';
import { type CommandRunner, runCommand } from './systemCommands.js';

/** What was installed, so that uninstall removes exactly that (kept in the data folder). */
export interface InstallManifest {
  version: 1;
  scheduler: SchedulerKind;
  installedAt: string;
  configPath: string;
  files: string[];
  deactivate: string[][];
  crontabMarker?: string;
  /** Whose crontab holds the line (absent: the installing user's). */
  crontabUser?: string;
}

export interface InstallOptions {
  manifestPath: string;
  configPath: string;
  /** Write the files but do not enable them (no systemctl/launchctl/schtasks). */
  activate?: boolean;
  run?: CommandRunner;
  logger?: Logger;
}

/**
 * Installs a scheduler definition idempotently: a previous installation (of any
 * scheduler) is removed first, files are written, the scheduler is told, and a manifest
 * records it all. If enabling fails, everything written is removed again.
 */
export async function installAgent(plan: InstallPlan, options: InstallOptions): Promise<InstallManifest> {
  const run = options.run ?? runCommand;
  if (existsSync(options.manifestPath)) await uninstallAgent({ ...options, run });
  const written: string[] = [];
  const manifest: InstallManifest = {
    version: 1,
    scheduler: plan.scheduler,
    installedAt: new Date().toISOString(),
    configPath: options.configPath,
    files: plan.files.map((f) => f.path),
    deactivate: options.activate === false ? [] : plan.deactivate,
  };
  try {
    for (const file of plan.files) {
      await fs.mkdir(path.dirname(file.path), { recursive: true });
      await fs.writeFile(file.path, file.content, { mode: 0o644 });
      written.push(file.path);
    }
    if (plan.crontabLine) {
      const marker = cronMarker(options.configPath);
      await editCrontab(run, plan.crontabUser, (lines) => [...lines.filter((l) => !l.endsWith(marker)), plan.crontabLine!]);
      manifest.crontabMarker = marker;
      if (plan.crontabUser) manifest.crontabUser = plan.crontabUser;
    }
    if (options.activate !== false) {
      for (const argv of plan.activate) await must(run, argv);
    }
  } catch (error) {
    for (const file of written) await fs.rm(file, { force: true });
    if (manifest.crontabMarker)
      await editCrontab(run, manifest.crontabUser, (lines) => lines.filter((l) => !l.endsWith(manifest.crontabMarker!))).catch(() => undefined);
    throw error;
  }
  await fs.mkdir(path.dirname(options.manifestPath), { recursive: true });
  await fs.writeFile(options.manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  options.logger?.info('agent.installed', { scheduler: plan.scheduler, files: manifest.files.length });
  return manifest;
}

/** Removes what the manifest lists; a missing manifest means nothing is installed. */
export async function uninstallAgent(options: { manifestPath: string; run?: CommandRunner; logger?: Logger }): Promise<InstallManifest | null> {
  const run = options.run ?? runCommand;
  let manifest: InstallManifest;
  try {
    manifest = JSON.parse(await fs.readFile(options.manifestPath, 'utf8')) as InstallManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new GitfleetError('E_CONFIG', `the install manifest ${options.manifestPath} is unreadable`, {
      hint: 'remove the scheduler entries by hand, then delete the manifest',
    });
  }
  for (const argv of manifest.deactivate) {
    const result = await run(argv);
    // Already stopped or never enabled is fine for an uninstall.
    if (result.code !== 0) options.logger?.warn('agent.uninstall-step-failed', { command: argv.join(' '), reason: result.stderr.trim().split('\n')[0] });
  }
  for (const file of manifest.files) await fs.rm(file, { force: true });
  if (manifest.crontabMarker) {
    const marker = manifest.crontabMarker;
    await editCrontab(run, manifest.crontabUser, (lines) => lines.filter((l) => !l.endsWith(marker)));
  }
  await fs.rm(options.manifestPath, { force: true });
  options.logger?.info('agent.uninstalled', { scheduler: manifest.scheduler });
  return manifest;
}

async function must(run: CommandRunner, argv: string[]): Promise<void> {
  const result = await run(argv);
  if (result.code !== 0) {
    throw new UnsupportedError(`\`${argv.join(' ')}\` failed: ${(result.stderr || result.stdout).trim().split('\n')[0] || `exit ${result.code}`}`, {
      hint: 'nothing was left installed; use --no-activate to only write the files',
    });
  }
}

/** Reads a user's crontab (the invoking user's, or `user`'s as root), changes its lines, writes it back. */
async function editCrontab(run: CommandRunner, user: string | undefined, change: (lines: string[]) => string[]): Promise<void> {
  const who = user ? ['-u', user] : [];
  const current = await run(['crontab', ...who, '-l']);
  if (current.code === 127) throw new UnsupportedError('crontab is not installed', { hint: 'install cron, or use --scheduler systemd' });
  const lines = current.code === 0 ? current.stdout.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1) : [];
  const next = change(lines);
  const written = await run(['crontab', ...who, '-'], next.length ? `${next.join('\n')}\n` : '');
  if (written.code !== 0) throw new UnsupportedError(`crontab refused the new table: ${written.stderr.trim()}`);
}
