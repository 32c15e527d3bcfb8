import { fleetLocation } from '../config/fleetLocation.js';
import { startEarlyFetch } from '../git/earlyFetch.js';
import { STATUS_OPTIONS } from './commands/statusOptions.js';
import { GLOBAL_OPTION_SPECS } from './globalOptions.js';
import { quickArgs } from './quickArgs.js';
import { resolveCliConfig } from './resolveCliConfig.js';

/**
 * For a plain `gitfleet status …` (what quickArgs reads), starts the fetch the command will
 * make first, before the command and the store have loaded (src/git/earlyFetch.ts): main.ts
 * calls this ahead of runCli. Anything unusual (other flags, a config that does not resolve,
 * the js backend) starts nothing, and the command's own run says what is wrong.
 */
export function startStatusFetch(args: readonly string[], env: NodeJS.ProcessEnv): void {
  const argv = quickArgs(args, 'status', { ...GLOBAL_OPTION_SPECS, ...STATUS_OPTIONS });
  if (!argv || argv.watch) return;
  try {
    const config = resolveCliConfig(argv, env);
    if (config.backend !== 'cli' || !config.repo) return;
    const { remote, cacheDir } = fleetLocation(config);
    startEarlyFetch({ cacheDir, remote, branch: config.branch, networkTimeoutMs: config.networkTimeoutMs });
  } catch {
    // Reported by the command itself, with its exit code.
  }
}
