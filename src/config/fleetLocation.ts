import { cacheDirFor } from '../git/cacheLocation.js';
import { parseRemote, type RemoteSpec } from '../git/RemoteSpec.js';
import { ConfigError } from '../errors/index.js';
import type { ResolvedConfig } from './resolveConfig.js';

/** Where a resolved configuration's fleet lives: its remote, and this machine's private cache of it. */
export function fleetLocation(config: ResolvedConfig): { remote: RemoteSpec; cacheDir: string } {
  if (!config.repo) {
    throw new ConfigError('no fleet repository given', {
      hint: 'pass --repo <url|path>, set GITFLEET_REPO, or put "repo" in gitfleet.config.json',
    });
  }
  const remote = parseRemote(config.repo, config.token, config.username);
  return { remote, cacheDir: cacheDirFor(config.cacheDir, remote.url, config.branch, config.backend) };
}
