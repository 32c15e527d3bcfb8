import { resolveConfig, type ConfigFlags, type ResolvedConfig } from '../config/resolveConfig.js';
import { ConfigError } from '../errors/index.js';
import { isSafeBranchName } from '../git/RemoteSpec.js';

/** The configuration of a command run from its parsed flags: resolveConfig, and the checks the CLI adds to it. */
export function resolveCliConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv): ResolvedConfig {
  const config = resolveConfig(flags, env);
  // The branch reaches git's argv and ref names: "-x", "a..b" or "x:y" must not.
  if (!isSafeBranchName(config.branch)) {
    throw new ConfigError(`branch ${JSON.stringify(config.branch.slice(0, 80))} is not a valid branch name`, {
      hint: 'use letters, digits, ".", "_", "-" and "/" (not first), no ".." and no part starting with "." or ending in ".lock"',
    });
  }
  return config;
}
