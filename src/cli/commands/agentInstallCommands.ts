import { existsSync, realpathSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cronLine } from '../../agent/install/cronLine.js';
import type { InstallPlan, InstallSpec, SchedulerKind } from '../../agent/install/InstallSpec.js';
import { installAgent, uninstallAgent } from '../../agent/install/installAgent.js';
import { launchdPlist } from '../../agent/install/launchdPlist.js';
import { systemdUnits } from '../../agent/install/systemdUnits.js';
import { taskSchedulerXml } from '../../agent/install/taskSchedulerXml.js';
import { ConfigError, UsageError } from '../../errors/index.js';
import { parseRemote } from '../../git/RemoteSpec.js';
import type { LocalConfig } from '../../schema/types.js';
import { parseDuration } from '../../util/duration.js';
import type { CommandContext } from '../CommandContext.js';
import { defineCommand } from '../GitfleetCommand.js';

const GENERATORS: Record<SchedulerKind, (spec: InstallSpec) => InstallPlan> = {
  systemd: systemdUnits,
  cron: cronLine,
  launchd: launchdPlist,
  taskscheduler: taskSchedulerXml,
};

export const agentInstallCommand = defineCommand({
  command: 'install',
  describe: 'Install the agent in this machine\'s scheduler (systemd, cron, Task Scheduler or launchd); idempotent',
  builder: (y) =>
    y
      .option('scheduler', { choices: ['systemd', 'cron', 'taskscheduler', 'launchd'] as const, describe: 'Default: systemd (or cron without systemd) on Linux, launchd on macOS, taskscheduler on Windows' })
      .option('every', { type: 'string', default: '1m', describe: 'How often to run `agent --once`' })
      .option('mode', { choices: ['once', 'daemon'] as const, default: 'once' as const, describe: 'once: the scheduler starts a run every --every; daemon: it keeps `gitfleet agent` running' })
      .option('user', { type: 'boolean', describe: 'Install for the current user only (default when not root)' })
      .option('run-as', { type: 'string', describe: 'systemd system unit: run the agent as this user' })
      .option('target-dir', { type: 'string', describe: 'Where to write the scheduler files (default: the scheduler\'s own folder)' })
      .option('activate', { type: 'boolean', default: true, describe: 'Enable it now (--no-activate: only write the files)' })
      .option('print', { type: 'boolean', default: false, describe: 'Show what would be installed; change nothing' }),
  async run(ctx, argv) {
    const scheduler = (argv.scheduler ?? defaultScheduler()) as SchedulerKind;
    const everyMs = parseDuration(argv.every);
    if (everyMs === null || everyMs < 10_000 || everyMs > 86_400_000) throw new UsageError(`--every ${JSON.stringify(argv.every)} is not a duration from 10s to 24h`);
    const userScope = argv.user ?? (typeof process.getuid === 'function' ? process.getuid() !== 0 : true);
    // Written into a unit file: a newline there would add directives of its own.
    if (argv['run-as'] !== undefined && !/^[a-z_][a-z0-9_-]{0,31}\$?$/i.test(argv['run-as'])) throw new UsageError(`--run-as ${JSON.stringify(argv['run-as'].slice(0, 40))} is not a user name`);
    const configPath = agentConfigFile(ctx, Math.round(everyMs / 1000), argv.print);
    const spec: InstallSpec = {
      scheduler,
      mode: argv.mode,
      everySeconds: Math.round(everyMs / 1000),
      nodePath: process.execPath,
      cliPath: realpathSync(process.argv[1] ?? 'dist/gitfleet.js'),
      configPath,
      logFile: path.join(ctx.config.dataDir, 'agent.log'),
      userScope,
      targetDir: argv['target-dir'] ? path.resolve(argv['target-dir']) : defaultTargetDir(scheduler, userScope, ctx.config.dataDir),
      ...(argv['run-as'] ? { runAs: argv['run-as'] } : {}),
    };
    const plan = GENERATORS[scheduler](spec);
    if (argv.print) {
      if (ctx.json) ctx.printJson(plan);
      else {
        for (const f of plan.files) ctx.io.out(`--- ${f.path}\n${f.content}`);
        if (plan.crontabLine) ctx.io.out(`--- crontab line\n${plan.crontabLine}`);
        for (const c of plan.activate) ctx.io.out(`would run: ${c.join(' ')}`);
      }
      return;
    }
    if (ctx.env.GITFLEET_TOKEN && !ctx.config.file.tokenFile) {
      ctx.io.err('gitfleet: note: the scheduled agent will not see GITFLEET_TOKEN; put the token in a file (mode 600) named by "tokenFile" in the config, or use a git credential helper');
    }
    const manifest = await installAgent(plan, { manifestPath: manifestPath(ctx), configPath, activate: argv.activate, logger: ctx.logger });
    if (ctx.json) ctx.printJson(manifest);
    else {
      ctx.io.out(`installed the gitfleet agent with ${scheduler} (${spec.mode}, every ${spec.everySeconds} s), config ${configPath}`);
      for (const f of manifest.files) ctx.io.out(`  wrote ${f}`);
      if (manifest.crontabMarker) ctx.io.out('  added a line to the crontab');
      ctx.io.out(scheduler === 'systemd' ? `  logs: journalctl ${userScope ? '--user ' : ''}-u gitfleet-agent` : `  logs: ${spec.logFile}`);
    }
  },
});

export const agentUninstallCommand = defineCommand({
  command: 'uninstall',
  describe: 'Remove exactly what `agent install` installed',
  async run(ctx) {
    const manifest = await uninstallAgent({ manifestPath: manifestPath(ctx), logger: ctx.logger });
    if (ctx.json) ctx.printJson({ removed: manifest });
    else ctx.io.out(manifest ? `removed the ${manifest.scheduler} installation (${manifest.files.length} files${manifest.crontabMarker ? ', the crontab line' : ''})` : 'nothing was installed');
  },
});

function manifestPath(ctx: CommandContext): string {
  return path.join(ctx.config.dataDir, 'agent-install.json');
}

/**
 * The config file the scheduled agent reads. An existing config file is used as it is;
 * otherwise one is written from the resolved settings (never with the token).
 */
function agentConfigFile(ctx: CommandContext, everySeconds: number, dryRun: boolean): string {
  const c = ctx.config;
  if (!c.repo) throw new ConfigError('no fleet repository given', { hint: 'pass --repo or set GITFLEET_REPO before installing' });
  if (!c.server) throw new ConfigError('the agent needs this server\'s id', { hint: 'pass --server <id> or set GITFLEET_SERVER before installing' });
  if (c.configFile) return c.configFile;
  // The file is read by a scheduler for as long as the agent is installed: a token in
  // the repository URL would sit there in clear. Refuse rather than strip it, which
  // would install an agent that cannot authenticate.
  if (parseRemote(c.repo).auth) {
    throw new ConfigError('the repository URL holds a credential, and agent install never writes one to disk', {
      hint: 'pass the URL without it and put the token in a file (mode 600) named by "tokenFile" in a config file or by GITFLEET_TOKEN_FILE, or use a git credential helper',
    });
  }
  const file = path.join(c.dataDir, 'agent.config.json');
  const config: LocalConfig = {
    repo: c.repo,
    branch: c.branch,
    server: c.server,
    backend: c.backend,
    cacheDir: c.cacheDir,
    dataDir: c.dataDir,
    ...(c.labels.length ? { labels: c.labels } : {}),
    ...(c.capabilities.length ? { capabilities: c.capabilities } : {}),
    ...(c.file.tokenFile ? { tokenFile: path.resolve(c.file.tokenFile) } : {}),
    agent: { every: everySeconds, logFile: path.join(c.dataDir, 'agent.log') },
  };
  if (!dryRun) {
    mkdirSync(c.dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  }
  return file;
}

function defaultScheduler(): SchedulerKind {
  if (process.platform === 'win32') return 'taskscheduler';
  if (process.platform === 'darwin') return 'launchd';
  return existsSync('/run/systemd/system') ? 'systemd' : 'cron';
}

function defaultTargetDir(scheduler: SchedulerKind, userScope: boolean, dataDir: string): string {
  switch (scheduler) {
    case 'systemd':
      return userScope ? path.join(os.homedir(), '.config/systemd/user') : '/etc/systemd/system';
    case 'launchd':
      return userScope ? path.join(os.homedir(), 'Library/LaunchAgents') : '/Library/LaunchDaemons';
    default:
      return dataDir;
  }
}
