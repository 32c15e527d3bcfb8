import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentConfigFor, jobWritePaths, systemTokenFile } from '../../install/agentConfigFor.js';
import { chooseScheduler } from '../../install/chooseScheduler.js';
import { cronLine } from '../../install/cronLine.js';
import type { InstallPlan, InstallSpec, SchedulerKind } from '../../install/InstallSpec.js';
import { installAgent, uninstallAgent } from '../../install/installAgent.js';
import { type InstallLocations, systemLocations, userLocations } from '../../install/installLocations.js';
import { launchdPlist } from '../../install/launchdPlist.js';
import { type AgentAccount, lookUpAccount, prepareSystemDirs } from '../../install/prepareInstallDirs.js';
import { protectHomeFor, scheduledPath } from '../../install/scheduledPath.js';
import { systemdUnits } from '../../install/systemdUnits.js';
import { taskSchedulerXml } from '../../install/taskSchedulerXml.js';
import { UsageError } from '../../errors/index.js';
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
  describe: "Install the agent in this machine's scheduler (systemd, cron, Task Scheduler or launchd); idempotent",
  builder: (y) =>
    y
      .option('scheduler', {
        choices: ['systemd', 'cron', 'taskscheduler', 'launchd'] as const,
        describe: 'Default: systemd (or cron without systemd) on Linux, launchd on macOS, taskscheduler on Windows',
      })
      .option('every', { type: 'string', default: '1m', describe: 'How often to run `agent --once`' })
      .option('mode', {
        choices: ['once', 'daemon'] as const,
        default: 'once' as const,
        describe: 'once: the scheduler starts a run every --every; daemon: it keeps `gitfleet agent` running',
      })
      .option('user', { type: 'boolean', describe: 'Install for the current user only (default when not root)' })
      .option('run-as', {
        type: 'string',
        describe:
          "Machine-wide install (as root): run the agent as this user (systemd User=, or that user's crontab); it can read the config and owns the state, cache and log folders",
      })
      .option('target-dir', { type: 'string', describe: "Where to write the scheduler files (default: the scheduler's own folder)" })
      .option('activate', { type: 'boolean', default: true, describe: 'Enable it now (--no-activate: only write the files)' })
      .option('print', { type: 'boolean', default: false, describe: 'Show what would be installed; change nothing' })
      .example('$0 agent install --print', 'what would be installed, changing nothing'),
  async run(ctx, argv) {
    const { scheduler, reason } = chooseScheduler(argv.scheduler as SchedulerKind | undefined);
    const everyMs = parseDuration(argv.every);
    if (everyMs === null || everyMs < 10_000 || everyMs > 86_400_000)
      throw new UsageError(`--every ${JSON.stringify(argv.every)} is not a duration from 10s to 24h`);
    const userScope = argv.user ?? !isRoot();
    // Written into a unit file: a newline there would add directives of its own.
    if (argv['run-as'] !== undefined && !/^[a-z_][a-z0-9_-]{0,31}\$?$/i.test(argv['run-as']))
      throw new UsageError(`--run-as ${JSON.stringify(argv['run-as'].slice(0, 40))} is not a user name`);
    if (argv['run-as'] !== undefined && (userScope || !isRoot()))
      throw new UsageError('--run-as needs a machine-wide install', { hint: 'run `gitfleet agent install --run-as USER` as root, without --user' });
    if (argv['run-as'] !== undefined && scheduler !== 'systemd' && scheduler !== 'cron')
      throw new UsageError(`--run-as works with systemd and cron, not ${scheduler}`);
    const account = argv['run-as'] && !argv.print ? await lookUpAccount(argv['run-as']) : undefined;
    const loc = locationsFor(ctx, userScope);
    const everySeconds = Math.round(everyMs / 1000);
    const logs = scheduler === 'systemd' ? 'journal' : 'file';
    const config = agentConfig(ctx, loc, everySeconds, logs);
    const nodePath = process.execPath;
    const cliPath = realpathSync(process.argv[1] ?? 'dist/gitfleet.js');
    const jobPaths = config.content ? jobWritePaths(config.content) : [];
    // Under GITFLEET_INSTALL_ROOT the state and cache are not systemd's StateDirectory and
    // CacheDirectory: the sandbox must let the agent write where it actually writes.
    const readWritePaths = [...jobPaths, ...(loc.prefixed ? [loc.stateDir, loc.cacheDir] : [])];
    const protectHome = protectHomeFor([nodePath, cliPath, config.path, ...(config.content?.tokenFile ? [config.content.tokenFile] : []), ...readWritePaths]);
    const spec: InstallSpec = {
      scheduler,
      mode: argv.mode,
      everySeconds,
      nodePath,
      cliPath,
      configPath: config.path,
      logFile: loc.logFile,
      userScope,
      targetDir: argv['target-dir'] ? path.resolve(argv['target-dir']) : defaultTargetDir(scheduler, userScope, loc.stateDir),
      ...(argv['run-as'] ? { runAs: argv['run-as'] } : {}),
      pathEnv: scheduledPath(nodePath, ctx.env),
      stateDir: loc.stateDir,
      codeCacheDir: path.join(loc.cacheDir, 'code'),
      readWritePaths,
      protectHome: protectHome.value,
    };
    const plan = GENERATORS[scheduler](spec);
    const notes = [
      `scheduler: ${reason}`,
      `locations: ${loc.system ? 'machine-wide' : 'per user'}: config ${config.path}, state ${loc.stateDir}, cache ${loc.cacheDir}, logs ${scheduler === 'systemd' ? 'the journal' : loc.logFile}`,
      ...(scheduler === 'systemd' && !userScope
        ? [
            jobPaths.length
              ? `writable beyond state and cache (job folders from the config): ${jobPaths.join(', ')}`
              : 'writable beyond state and cache: nothing (no jobs.kinds.*.cwd in the config)',
            ...(loc.prefixed ? [`GITFLEET_INSTALL_ROOT is set: the state and cache under it are listed in ReadWritePaths too`] : []),
            `ProtectHome=${protectHome.value}${protectHome.because ? ` because ${protectHome.because}` : ''}`,
          ]
        : []),
    ];
    if (argv.print) {
      const configText = config.content ? `${JSON.stringify(config.content, null, 2)}\n` : undefined;
      if (ctx.json) ctx.printJson({ ...plan, schedulerReason: reason, locations: loc, config: { path: config.path, content: configText ?? null }, notes });
      else {
        for (const n of notes) ctx.io.out(n);
        ctx.io.out(
          configText
            ? `--- ${config.path} (the token is never written here${config.content?.tokenFile ? `; it is read from ${config.content.tokenFile}` : ''})\n${configText}`
            : `--- ${config.path} (used as it is)`,
        );
        for (const f of plan.files) ctx.io.out(`--- ${f.path}\n${f.content}`);
        if (plan.crontabLine) ctx.io.out(`--- crontab line${plan.crontabUser ? ` (crontab of ${plan.crontabUser})` : ''}\n${plan.crontabLine}`);
        for (const c of plan.activate) ctx.io.out(`would run: ${c.join(' ')}`);
      }
      return;
    }
    if (ctx.env.GITFLEET_TOKEN && !ctx.config.file.tokenFile) {
      ctx.io.err(
        'gitfleet: note: the scheduled agent will not see GITFLEET_TOKEN; put the token in a file (mode 600) named by "tokenFile" in the config, or use a git credential helper',
      );
    }
    // Before machine-wide installs existed, root's installs went to root's home: remove such
    // an installation, or its crontab line would run a second agent for this server.
    const earlier = userLocations(ctx.config.dataDir, ctx.config.cacheDir).manifestFile;
    if (loc.system && earlier !== loc.manifestFile && existsSync(earlier)) {
      const removed = await uninstallAgent({ manifestPath: earlier, logger: ctx.logger });
      if (removed)
        ctx.io.err(`gitfleet: note: removed the earlier per-user ${removed.scheduler} installation (${earlier}); its state and cache stay where they were`);
    }
    await writeAgentConfig(ctx, loc, config, account, logs);
    const manifest = await installAgent(plan, { manifestPath: loc.manifestFile, configPath: config.path, activate: argv.activate, logger: ctx.logger });
    if (ctx.json) ctx.printJson(manifest);
    else {
      ctx.io.out(`installed the gitfleet agent with ${scheduler} (${spec.mode}, every ${spec.everySeconds} s), config ${config.path}`);
      for (const n of notes) ctx.io.out(`  ${n}`);
      for (const f of manifest.files) ctx.io.out(`  wrote ${f}`);
      if (manifest.crontabMarker) ctx.io.out(`  added a line to the crontab${manifest.crontabUser ? ` of ${manifest.crontabUser}` : ''}`);
      ctx.io.out(scheduler === 'systemd' ? `  logs: journalctl ${userScope ? '--user ' : ''}-u gitfleet-agent` : `  logs: ${spec.logFile}`);
    }
  },
});

export const agentUninstallCommand = defineCommand({
  command: 'uninstall',
  describe: 'Remove exactly what `agent install` installed',
  builder: (y) =>
    y
      .option('user', { type: 'boolean', describe: 'Remove the per-user installation (default when not root)' })
      .example('$0 agent uninstall', 'remove what agent install installed'),
  async run(ctx, argv) {
    const manifest = await uninstallAgent({ manifestPath: locationsFor(ctx, argv.user ?? !isRoot()).manifestFile, logger: ctx.logger });
    if (ctx.json) ctx.printJson({ removed: manifest });
    else
      ctx.io.out(
        manifest
          ? `removed the ${manifest.scheduler} installation (${manifest.files.length} files${manifest.crontabMarker ? ', the crontab line' : ''})`
          : 'nothing was installed',
      );
  },
});

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Machine-wide (root, not --user): /etc, /var/lib, /var/cache, /var/log; otherwise the user's own folders. */
function locationsFor(ctx: CommandContext, userScope: boolean): InstallLocations {
  return userScope ? userLocations(ctx.config.dataDir, ctx.config.cacheDir) : systemLocations(ctx.env);
}

/**
 * The config file the scheduled agent reads. Per user, an existing config file is used
 * as it is; otherwise, and always machine-wide (the invoking user's file may sit in a
 * home the agent cannot read), one is written from the resolved settings, never with a token.
 */
function agentConfig(
  ctx: CommandContext,
  loc: InstallLocations,
  everySeconds: number,
  logs: 'journal' | 'file',
): { path: string; content: LocalConfig | undefined } {
  const content = agentConfigFor(ctx.config, loc, everySeconds, logs);
  if (!loc.system && ctx.config.configFile) return { path: ctx.config.configFile, content: undefined };
  return { path: loc.configFile, content };
}

async function writeAgentConfig(
  ctx: CommandContext,
  loc: InstallLocations,
  config: { path: string; content: LocalConfig | undefined },
  account: AgentAccount | undefined,
  logs: 'journal' | 'file',
): Promise<void> {
  if (!config.content) return;
  const text = `${JSON.stringify(config.content, null, 2)}\n`;
  if (!loc.system) {
    mkdirSync(loc.configDir, { recursive: true });
    writeFileSync(config.path, text, { mode: 0o600 });
    return;
  }
  const files = [{ path: config.path, content: text }];
  // The agent's account cannot read the installing user's token file: a copy sits next to the config, as private as it.
  if (ctx.config.file.tokenFile) files.push({ path: systemTokenFile(loc), content: readFileSync(path.resolve(ctx.config.file.tokenFile), 'utf8') });
  await prepareSystemDirs(loc, account, files, logs);
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
