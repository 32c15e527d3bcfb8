import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import { effectivePeriodSeconds, HEARTBEAT_SHARE } from '../status/heartbeatSchedule.js';
import { type CheckResult, fail, ok, warn } from './DoctorCheck.js';

/**
 * The heartbeat period against the push budget: every server pushes one heartbeat per
 * period, and heartbeats may use HEARTBEAT_SHARE of pushBudget.pushesPerMinute (the rest
 * is kept for jobs and messages). An adaptive fleet stretches its period to fit; a fixed
 * one that does not fit keeps losing push races and hits the host's rate limits.
 */
export function checkHeartbeat(settings: ResolvedFleetSettings, fleetSize: number): CheckResult {
  const servers = Math.max(1, fleetSize);
  const period = settings.heartbeat.periodSeconds;
  const budget = settings.pushBudget.pushesPerMinute;
  const allowed = budget * HEARTBEAT_SHARE;
  const effective = effectivePeriodSeconds(settings, servers);
  const rate = (p: number) => Math.round(((servers * 60) / p) * 10) / 10;
  const what = `${servers} server${servers === 1 ? '' : 's'}, heartbeat every ${period} s, push budget ${budget}/min`;
  const minPeriod = Math.ceil((servers * 60) / allowed);
  if (!settings.heartbeat.adaptive && rate(period) > allowed) {
    return fail(
      'heartbeat',
      `${what}: heartbeats alone need ${rate(period)} pushes/min, more than the ${Math.round(allowed * 10) / 10} they may use`,
      `set heartbeat.periodSeconds to ${minPeriod} or more in fleet.json, raise pushBudget.pushesPerMinute if the host allows it, or set heartbeat.adaptive to true`,
    );
  }
  if (effective > period) {
    const deadAfter = Math.round(effective * settings.heartbeat.deadAfterPeriods);
    return warn(
      'heartbeat',
      `${what}: stretched to every ${effective} s to fit the budget (offline after ${deadAfter} s)`,
      `accept it, or raise pushBudget.pushesPerMinute in fleet.json if the host allows ${Math.ceil(((servers * 60) / period / HEARTBEAT_SHARE) * 10) / 10}/min`,
    );
  }
  return ok('heartbeat', `${what}: ${rate(effective)} heartbeat pushes/min of the ${Math.round(allowed * 10) / 10} allowed`);
}
