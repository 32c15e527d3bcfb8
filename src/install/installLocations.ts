import path from 'node:path';

/** Where an installed agent keeps its config, state, cache and logs. */
export interface InstallLocations {
  /** A machine-wide install (run as root): /etc, /var/lib, /var/cache, /var/log. */
  system: boolean;
  configDir: string;
  configFile: string;
  stateDir: string;
  cacheDir: string;
  /** The cron/launchd/Task Scheduler log file (systemd logs to the journal). */
  logFile: string;
  /** Machine-wide under GITFLEET_INSTALL_ROOT: not where systemd's StateDirectory/CacheDirectory point. */
  prefixed: boolean;
  /** What `agent install` records, so `agent uninstall` removes exactly that. */
  manifestFile: string;
}

export const SYSTEM_DIR_NAME = 'gitfleet';

/**
 * The machine-wide locations, under GITFLEET_INSTALL_ROOT when set (tests point it at a
 * temporary folder so they never write to the real /etc).
 */
export function systemLocations(env: NodeJS.ProcessEnv): InstallLocations {
  const root = env.GITFLEET_INSTALL_ROOT ? path.resolve(env.GITFLEET_INSTALL_ROOT) : '/';
  const configDir = path.join(root, 'etc', SYSTEM_DIR_NAME);
  const stateDir = path.join(root, 'var', 'lib', SYSTEM_DIR_NAME);
  return {
    system: true,
    prefixed: root !== '/',
    configDir,
    configFile: path.join(configDir, 'agent.config.json'),
    stateDir,
    cacheDir: path.join(root, 'var', 'cache', SYSTEM_DIR_NAME),
    logFile: path.join(root, 'var', 'log', SYSTEM_DIR_NAME, 'agent.log'),
    // Not in the state folder: the agent's account owns that, and uninstall runs (as root)
    // the commands the manifest lists.
    manifestFile: path.join(configDir, 'agent-install.json'),
  };
}

/** A per-user install keeps what the user's gitfleet already uses (~/.local/state/gitfleet, ~/.cache/gitfleet). */
export function userLocations(dataDir: string, cacheDir: string): InstallLocations {
  return {
    system: false,
    prefixed: false,
    configDir: dataDir,
    configFile: path.join(dataDir, 'agent.config.json'),
    stateDir: dataDir,
    cacheDir,
    logFile: path.join(dataDir, 'agent.log'),
    manifestFile: path.join(dataDir, 'agent-install.json'),
  };
}
