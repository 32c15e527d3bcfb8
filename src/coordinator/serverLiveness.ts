import type { ResolvedFleetSettings } from '../fleet/fleetSettings.js';
import type { Liveness } from '../jobs/placement.js';
import type { ObservedServer } from './FleetIndex.js';

/** The heartbeat period a server announced, kept within sane bounds of the fleet's. */
export function periodOf(server: ObservedServer, settings: ResolvedFleetSettings): number {
  const announced = server.status.heartbeat?.periodSeconds ?? settings.heartbeat.periodSeconds;
  return Math.min(86_400, Math.max(settings.heartbeat.periodSeconds, announced));
}

/**
 * Alive, suspect or dead, from when this coordinator last saw the server's status
 * change: suspect after `suspectAfterPeriods` periods, dead after `deadAfterPeriods`.
 */
export function serverLiveness(server: ObservedServer, settings: ResolvedFleetSettings, now: number): { liveness: Liveness; silentMs: number; deadAfterMs: number } {
  const periodMs = periodOf(server, settings) * 1000;
  const silentMs = Math.max(0, now - server.observedAt);
  const deadAfterMs = settings.heartbeat.deadAfterPeriods * periodMs;
  const liveness: Liveness = silentMs >= deadAfterMs ? 'dead' : silentMs >= settings.heartbeat.suspectAfterPeriods * periodMs ? 'suspect' : 'alive';
  return { liveness, silentMs, deadAfterMs };
}

/** The fleet's dead window: how long a restarted coordinator watches before it fails anything over. */
export function deadWindowMs(settings: ResolvedFleetSettings): number {
  return settings.heartbeat.deadAfterPeriods * settings.heartbeat.periodSeconds * 1000;
}
