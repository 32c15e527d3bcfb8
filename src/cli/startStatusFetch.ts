import { fleetLocation } from '../config/fleetLocation.js';
import { abandonEarlyFetches, startEarlyFetch } from '../git/earlyFetch.js';
import { STATUS_OPTIONS } from './commands/statusOptions.js';
import { GLOBAL_OPTION_SPECS } from './globalOptions.js';
import { quickArgs } from './quickArgs.js';
import { resolveCliConfig } from './resolveCliConfig.js';

/**
 * For a plain `gitfleet status …` (what quickArgs reads), starts the fetch the command will
 * make first, before the command and the store have loaded (src/git/earlyFetch.ts): the
 * installed launcher calls this from a bundle of its own (dist/statusFetch.cjs), otherwise
 * runProgram does, ahead of runCli; stopStatusFetch runs after it. Anything unusual (other
 * flags, a config that does not resolve, the js backend) starts nothing, and the command's
 * own run says what is wrong. Never rejects; resolves once git runs, or once nothing will.
 */
export async function startStatusFetch(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const argv = quickArgs(args, 'status', { ...GLOBAL_OPTION_SPECS, ...STATUS_OPTIONS });
    if (!argv || argv.watch) return;
    const config = resolveCliConfig(argv, env);
    if (config.backend !== 'cli' || !config.repo) return;
    const { remote, cacheDir } = fleetLocation(config);
    await startEarlyFetch({ cacheDir, remote, branch: config.branch, networkTimeoutMs: config.networkTimeoutMs });
  } catch {
    // A config that does not resolve (a bad --repo, say): the command resolves it again and
    // reports the error with its own exit code; a head start has nothing to add.
  }
}

/** Stops the early fetch if the command ended without taking it (it failed first). */
export const stopStatusFetch = abandonEarlyFetches;
