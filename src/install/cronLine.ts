import { UsageError } from '../errors/index.js';
import { agentArgs, type InstallPlan, type InstallSpec } from './InstallSpec.js';

/** The comment that marks gitfleet's crontab line, so uninstall finds exactly it. */
export function cronMarker(configPath: string): string {
  return `# gitfleet-agent ${configPath}`;
}

/**
 * One crontab line for `agent --once`. cron counts in minutes, so the interval must be
 * a whole number of minutes that divides an hour (or a whole number of hours).
 */
export function cronLine(spec: InstallSpec): InstallPlan {
  if (spec.mode !== 'once') throw new UsageError('cron can only start `agent --once`', { hint: 'use --scheduler systemd or launchd for the daemon' });
  const minutes = spec.everySeconds / 60;
  let schedule: string;
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new UsageError(`cron runs at most once a minute, in whole minutes; --every ${spec.everySeconds}s does not fit`, {
      hint: 'use --every 1m (or more), or --scheduler systemd',
    });
  } else if (minutes === 1) schedule = '* * * * *';
  else if (minutes < 60 && 60 % minutes === 0) schedule = `*/${minutes} * * * *`;
  else if (minutes % 60 === 0 && 24 % (minutes / 60) === 0) schedule = `0 */${minutes / 60} * * *`;
  else
    throw new UsageError(`cron cannot run every ${minutes} minutes evenly`, {
      hint: 'pick a divisor of an hour (1m, 2m, 5m, 10m, 15m, 30m) or of a day in hours',
    });
  // cron runs the line with /bin/sh: every word is quoted for it.
  // cron's own PATH is /usr/bin:/bin: git, node and job programs elsewhere would not be found.
  // A bare % in a crontab line is a newline to cron: escaped.
  const command = [
    `PATH=${shellQuote(spec.pathEnv)}`,
    `GITFLEET_CODE_CACHE=${shellQuote(spec.codeCacheDir)}`,
    ...[spec.nodePath, ...agentArgs(spec, true)].map(shellQuote),
  ]
    .join(' ')
    .replace(/%/g, '\\%');
  return {
    scheduler: 'cron',
    files: [],
    activate: [],
    deactivate: [],
    crontabLine: `${schedule} ${command} ${cronMarker(spec.configPath)}`,
    ...(spec.runAs && !spec.userScope ? { crontabUser: spec.runAs } : {}),
  };
}

/** The command part of a crontab line made by cronLine (what cron hands to /bin/sh). */
export function cronCommand(line: string): string {
  return line
    .replace(/^(\S+\s+){5}/, '')
    .replace(/ # gitfleet-agent .*$/, '')
    .replace(/\\%/g, '%');
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
