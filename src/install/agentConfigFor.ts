import path from 'node:path';
import type { ResolvedConfig } from '../config/resolveConfig.js';
import { ConfigError } from '../errors/index.js';
import { parseRemote } from '../git/RemoteSpec.js';
import type { LocalConfig } from '../schema/types.js';
import type { InstallLocations } from './installLocations.js';

/** The token file a machine-wide install copies the invoking user's token file to. */
export function systemTokenFile(loc: InstallLocations): string {
  return path.join(loc.configDir, 'token');
}

/**
 * The config the scheduled agent reads: the resolved settings, the install locations,
 * and (machine-wide) whatever else the invoking config held (jobs, notify, ...). Never a
 * token: a token file is named by path.
 */
export function agentConfigFor(c: ResolvedConfig, loc: InstallLocations, everySeconds: number, logs: 'journal' | 'file'): LocalConfig {
  if (!c.repo) throw new ConfigError('no fleet repository given', { hint: 'pass --repo or set GITFLEET_REPO before installing' });
  if (!c.server) throw new ConfigError("the agent needs this server's id", { hint: 'pass --server <id> or set GITFLEET_SERVER before installing' });
  // The file is read by a scheduler for as long as the agent is installed: a token in
  // the repository URL would sit there in clear. Refuse rather than strip it, which
  // would install an agent that cannot authenticate.
  if (parseRemote(c.repo).auth) {
    throw new ConfigError('the repository URL holds a credential, and agent install never writes one to disk', {
      hint: 'pass the URL without it and put the token in a file (mode 600) named by "tokenFile" in a config file or by GITFLEET_TOKEN_FILE, or use a git credential helper',
    });
  }
  const { $schema: _schema, ...carried } = loc.system ? c.file : ({} as LocalConfig);
  // systemd: the journal keeps the log (a file under /var/log would not be writable in the sandbox).
  const { logFile: _logFile, ...agent } = carried.agent ?? {};
  const tokenFile = c.file.tokenFile ? (loc.system ? systemTokenFile(loc) : path.resolve(c.file.tokenFile)) : undefined;
  return {
    ...carried,
    repo: c.repo,
    branch: c.branch,
    server: c.server,
    backend: c.backend,
    cacheDir: loc.cacheDir,
    dataDir: loc.stateDir,
    ...(c.labels.length ? { labels: c.labels } : {}),
    ...(c.capabilities.length ? { capabilities: c.capabilities } : {}),
    ...(tokenFile ? { tokenFile } : {}),
    agent: { ...agent, every: everySeconds, ...(logs === 'file' ? { logFile: loc.logFile } : {}) },
  };
}

/** Folders the agent's jobs write to: each kind's cwd and the job log folder, when set in the config. */
export function jobWritePaths(config: LocalConfig): string[] {
  const paths = new Set<string>();
  for (const kind of Object.values(config.jobs?.kinds ?? {})) if (kind.cwd && path.isAbsolute(kind.cwd)) paths.add(path.normalize(kind.cwd));
  if (config.jobs?.logDir && path.isAbsolute(config.jobs.logDir)) paths.add(path.normalize(config.jobs.logDir));
  return [...paths].sort();
}
