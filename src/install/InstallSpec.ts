export type SchedulerKind = 'systemd' | 'cron' | 'taskscheduler' | 'launchd';

/** Everything a scheduler definition needs; produced once by the install command. */
export interface InstallSpec {
  scheduler: SchedulerKind;
  /** once: the scheduler starts `agent --once` every `everySeconds`; daemon: it keeps `agent` running. */
  mode: 'once' | 'daemon';
  everySeconds: number;
  nodePath: string;
  cliPath: string;
  /** The config file the scheduled agent reads (absolute). */
  configPath: string;
  /** Where the agent logs when the scheduler has no journal (cron, launchd, Task Scheduler). */
  logFile: string;
  /** systemd --user / a LaunchAgent, instead of a system unit / LaunchDaemon. */
  userScope: boolean;
  /** Folder the definition goes into (defaults per scheduler; tests point it elsewhere). */
  targetDir: string;
  /** Run the agent as this user (system scope only): systemd User=, cron: that user's crontab. */
  runAs?: string;
  /** PATH for the scheduled run, so git, node and job programs are found. */
  pathEnv: string;
  /** System scope: folders jobs write to (jobs.kinds.*.cwd, jobs.logDir), the only writable paths beyond gitfleet's own. */
  readWritePaths: string[];
  /** The agent's state folder (its dataDir): HOME for a system unit whose real home is hidden. */
  stateDir: string;
  /**
   * Where the launcher keeps V8's compiled code for the agent's runs (GITFLEET_CODE_CACHE,
   * src/cli/codeCache/codeCacheDir.ts): inside the agent's cache folder, so a machine-wide
   * install never writes it into root's home.
   */
  codeCacheDir: string;
  /** System scope: true, or read-only when something the agent needs lives under a home folder. */
  protectHome: 'true' | 'read-only';
}

/** What installing means for one scheduler: files to write and commands to run. */
export interface InstallPlan {
  scheduler: SchedulerKind;
  files: { path: string; content: string }[];
  /** argv lists, run in order after the files are written; never a shell string. */
  activate: string[][];
  /** argv lists that undo `activate` (run before the files are removed). */
  deactivate: string[][];
  /** cron only: the line added to the user's crontab. */
  crontabLine?: string;
  /** cron only: whose crontab (root installing for --run-as); absent: the invoking user's. */
  crontabUser?: string;
}

export const AGENT_NAME = 'gitfleet-agent';
export const LAUNCHD_LABEL = 'dev.gitfleet.agent';

/** The argv of one scheduled run. */
export function agentArgs(spec: InstallSpec, withLogFile: boolean): string[] {
  const args = [spec.cliPath, 'agent'];
  if (spec.mode === 'once') args.push('--once');
  args.push('--config', spec.configPath);
  if (withLogFile) args.push('--log-file', spec.logFile);
  return args;
}
