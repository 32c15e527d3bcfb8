import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import type { Liveness } from '../jobs/placement.js';
import { maxAnnouncedPeriodSeconds } from '../status/heartbeatSchedule.js';
import type { ObservedServer } from './FleetIndex.js';

/**
 * The heartbeat period a server announced, kept within sane bounds of the fleet's: at
 * least the configured period, and at most twice what the fleet's settings give for its
 * size (an agent that saw a bigger fleet a moment ago announces a longer period; one
 * that announces a day could otherwise stay "alive" for six days after it died).
 */
export function periodOf(server: ObservedServer, settings: ResolvedFleetSettings, fleetSize?: number): number {
  const announced = server.status.heartbeat?.periodSeconds ?? settings.heartbeat.periodSeconds;
  return Math.min(maxAnnouncedPeriodSeconds(settings, fleetSize), Math.max(settings.heartbeat.periodSeconds, announced));
}

/**
 * Alive, suspect or dead, from when this coordinator last saw the server's status
 * change: suspect after `suspectAfterPeriods` periods, dead after `deadAfterPeriods`.
 */
export function serverLiveness(
  server: ObservedServer,
  settings: ResolvedFleetSettings,
  now: number,
  fleetSize?: number,
): { liveness: Liveness; silentMs: number; deadAfterMs: number } {
  const periodMs = periodOf(server, settings, fleetSize) * 1000;
  const silentMs = Math.max(0, now - server.observedAt);
  const deadAfterMs = settings.heartbeat.deadAfterPeriods * periodMs;
  const liveness: Liveness = silentMs >= deadAfterMs ? 'dead' : silentMs >= settings.heartbeat.suspectAfterPeriods * periodMs ? 'suspect' : 'alive';
  return { liveness, silentMs, deadAfterMs };
}

/** The fleet's dead window: how long a restarted coordinator watches before it fails anything over. */
export function deadWindowMs(settings: ResolvedFleetSettings): number {
  return settings.heartbeat.deadAfterPeriods * settings.heartbeat.periodSeconds * 1000;
}
