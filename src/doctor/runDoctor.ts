import type { Fleet } from '../config/openFleet.js';
import type { ResolvedConfig } from '../config/resolveConfig.js';
import { readFleetBudget } from '../fleet/readFleetBudget.js';
import { checkBudget } from './checkBudget.js';
import { checkCache } from './checkCache.js';
import { checkClock } from './checkClock.js';
import { checkFleetJson } from './checkFleetSettings.js';
import { checkHeartbeat } from './checkHeartbeat.js';
import { checkPush, checkRead, checkRemoteConfig } from './checkRemote.js';
import { checkScheduler } from './checkScheduler.js';
import { checkGit, checkNode } from './checkTools.js';
import { type CheckResult, failFromError } from './DoctorCheck.js';

export interface DoctorReport {
  ok: boolean;
  /** 0 when no check failed, else the exit status of the first failing check. */
  exitCode: number;
  checks: CheckResult[];
}

/**
 * Every check, in order, each reported as it finishes. The cache is inspected before
 * anything reads through it (a snapshot would repair or rebuild a damaged one); the
 * checks that need the repository's contents are left out when it cannot be read.
 */
export async function runDoctor(
  config: ResolvedConfig,
  openFleet: () => Fleet,
  onCheck: (check: CheckResult) => void = () => undefined,
): Promise<DoctorReport> {
  const checks: CheckResult[] = [];
  const add = (check: CheckResult) => {
    checks.push(check);
    onCheck(check);
  };
  const finish = (): DoctorReport => {
    const failed = checks.find((c) => c.status === 'fail');
    return { ok: !failed, exitCode: failed ? (failed.exitCode ?? 2) : 0, checks };
  };
  add(checkNode());
  add(await checkGit(config.backend));
  let fleet: Fleet;
  try {
    fleet = openFleet();
  } catch (error) {
    // No repository, or one that does not parse: the local checks still say something.
    add(failFromError('remote.url', error, 'pass --repo <url|path> or set GITFLEET_REPO'));
    add(await checkScheduler(config.dataDir, config.server));
    return finish();
  }
  const { remote, store, cacheDir } = fleet;
  add(await checkCache(cacheDir));
  add(checkRemoteConfig(remote, config.branch));
  const read = await checkRead(store.backend, config.branch);
  add(read.result);
  // A missing branch still lets push rights and the clock be checked; a refusal or no answer does not.
  const reachable = read.result.status !== 'fail' || read.result.exitCode === 6;
  if (reachable) add(await checkPush(store.backend, remote));
  if (reachable) add(await checkClock(remote, store.backend, read.head, config.networkTimeoutMs));
  if (read.head !== null) {
    try {
      const snapshot = await store.snapshot();
      const fleetJson = await checkFleetJson(snapshot, remote.url);
      add(fleetJson.result);
      const servers = new Set((await snapshot.list('status')).records.map((s) => s.server));
      if (config.server) servers.add(config.server);
      add(checkHeartbeat(fleetJson.settings, servers.size));
    } catch (error) {
      add(failFromError('fleet.json', error));
    }
    try {
      add(checkBudget(await readFleetBudget(store, { remoteUrl: remote.url })));
    } catch (error) {
      add(failFromError('budget', error));
    }
  }
  add(await checkScheduler(config.dataDir, config.server));
  return finish();
}
