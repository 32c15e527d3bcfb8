import { fleetLocation } from '../config/fleetLocation.js';
import type { ResolvedConfig } from '../config/resolveConfig.js';
import { abandonEarlyFetches, startEarlyFetch } from '../git/earlyFetch.js';
import { STATUS_OPTIONS } from './commands/statusOptions.js';
import { GLOBAL_OPTION_SPECS } from './globalOptions.js';
import { quickArgs } from './quickArgs.js';
import { resolveCliConfig } from './resolveCliConfig.js';

/**
 * For a plain `gitfleet status …` (what quickArgs reads), starts the fetch the command will
 * make first, before the command and the store have loaded (src/git/earlyFetch.ts): main.ts
 * calls this ahead of runCli, and stopStatusFetch after it. Anything unusual (other flags, a
 * config that does not resolve, the js backend) starts nothing, and the command's own run
 * says what is wrong. Resolves once git runs (or nothing will): see startEarlyFetch.
 */
export async function startStatusFetch(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const argv = quickArgs(args, 'status', { ...GLOBAL_OPTION_SPECS, ...STATUS_OPTIONS });
  if (!argv || argv.watch) return;
  const config = configOrNull(argv, env);
  if (config?.backend !== 'cli' || !config.repo) return;
  const { remote, cacheDir } = fleetLocation(config);
  await startEarlyFetch({ cacheDir, remote, branch: config.branch, networkTimeoutMs: config.networkTimeoutMs });
}

/** Stops the early fetch if the command ended without taking it (it failed first). */
export const stopStatusFetch = abandonEarlyFetches;

function configOrNull(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): ResolvedConfig | null {
  try {
    return resolveCliConfig(argv, env);
  } catch {
    return null; // the command resolves it again and reports the error, with its exit code
  }
}
