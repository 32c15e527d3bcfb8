import { existsSync } from 'node:fs';
import type { SchedulerKind } from './InstallSpec.js';

/** The scheduler to install with, and why (shown by `agent install --print`). */
export function chooseScheduler(
  requested: SchedulerKind | undefined,
  exists: (p: string) => boolean = existsSync,
): { scheduler: SchedulerKind; reason: string } {
  if (requested) return { scheduler: requested, reason: `${requested}: chosen with --scheduler` };
  if (process.platform === 'win32') return { scheduler: 'taskscheduler', reason: 'taskscheduler: this is Windows' };
  if (process.platform === 'darwin') return { scheduler: 'launchd', reason: 'launchd: this is macOS' };
  if (exists('/run/systemd/system')) return { scheduler: 'systemd', reason: 'systemd: /run/systemd/system exists' };
  const crontab = (process.env.PATH ?? '').split(':').some((dir) => dir && exists(`${dir}/crontab`));
  return {
    scheduler: 'cron',
    reason: crontab
      ? 'cron: no systemd (/run/systemd/system is missing), crontab found'
      : 'cron: no systemd (/run/systemd/system is missing); crontab was not found either, so installing will fail until cron is installed',
  };
}
