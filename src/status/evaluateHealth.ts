import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import type { HealthThreshold, ServerStatus } from '../schema/types.js';
import { FUTURE_SLACK_MS } from '../util/clockBounds.js';
import { activeMaintenance } from '../settings/maintenanceWindows.js';
import { maxAnnouncedPeriodSeconds } from './heartbeatSchedule.js';

export type HealthState = 'healthy' | 'degraded' | 'failing' | 'suspect' | 'offline' | 'unknown' | 'maintenance';

export interface HealthVerdict {
  state: HealthState;
  reasons: string[];
  /** How old the latest heartbeat is, in ms (null without a record). */
  ageMs: number | null;
  /** The heartbeat period the verdict assumed, in ms. */
  periodMs: number;
  /** When the server's maintenance ends (ms), when it is in a window of fleet.json. */
  maintenanceUntil?: number;
}

/** Worst first: the order of `gitfleet status` and of the dashboard. */
export const HEALTH_ORDER: readonly HealthState[] = ['offline', 'failing', 'suspect', 'degraded', 'unknown', 'maintenance', 'healthy'];

/**
 * The health of one server, from its status record, the fleet settings and the time:
 * offline or suspect when its heartbeat is older than the dead or suspect window
 * (measured in its own heartbeat periods, so a fleet with a slow heartbeat never looks
 * dead), else failing, degraded or healthy from resource thresholds. `seenAt` (when a
 * reader saw the record change, e.g. its commit) is trusted over the server's own clock.
 * Pure and browser-safe: the CLI, the coordinator and the dashboard all use it.
 */
export function evaluateHealth(
  status: ServerStatus | undefined,
  settings: ResolvedFleetSettings,
  now: number,
  seenAt?: number,
  fleetSize?: number,
): HealthVerdict {
  const verdict = healthFromRecord(status, settings, now, seenAt, fleetSize);
  if (!status || settings.maintenance.length === 0) return verdict;
  // An operator said this server is being worked on: whatever its heartbeat says, that is
  // its state until the window ends by itself (and then the plain verdict is back).
  const window = activeMaintenance(settings.maintenance, status.server, status.labels ?? [], now, verdict.ageMs ?? 0);
  if (!window) return verdict;
  const why = `in maintenance until ${new Date(window.until).toISOString().slice(0, 16).replace('T', ' ')} UTC${window.reason ? `: ${window.reason}` : ''}`;
  return { ...verdict, state: 'maintenance', reasons: [why, ...verdict.reasons], maintenanceUntil: window.until };
}

/** The verdict from the record alone (no maintenance windows). */
function healthFromRecord(
  status: ServerStatus | undefined,
  settings: ResolvedFleetSettings,
  now: number,
  seenAt?: number,
  /** The number of servers, when the reader knows it: bounds the period a status may announce. */
  fleetSize?: number,
): HealthVerdict {
  const configured = settings.heartbeat.periodSeconds * 1000;
  if (!status) return { state: 'unknown', reasons: ['no status record'], ageMs: null, periodMs: configured };
  const declared = status.heartbeat?.periodSeconds;
  const periodMs = Math.min(Math.max((declared ?? settings.heartbeat.periodSeconds) * 1000, 5_000), maxAnnouncedPeriodSeconds(settings, fleetSize) * 1000);
  const reasons: string[] = [];
  let reported = Date.parse(status.updatedAt);
  // The schema's date-time admits a few strings Date cannot read (a leap second): an age
  // that is NaN would compare false with every window and leave the server healthy forever.
  if (Number.isNaN(reported)) {
    if (seenAt === undefined)
      return {
        state: 'unknown',
        reasons: [`updatedAt ${JSON.stringify(status.updatedAt.slice(0, 40))} is not a time this reader understands`],
        ageMs: null,
        periodMs,
      };
    reported = seenAt;
  }
  // A time beyond the slack is a claim nobody can check (a wrong clock, or a hand-pushed
  // record): it must not read as "healthy, 0 s ago". Without a time of our own (when the
  // record was seen to change) the server is suspect; with one, that time alone counts.
  let last: number;
  if (reported > now + FUTURE_SLACK_MS) {
    const ahead = `updatedAt is ${human(reported - now)} ahead of this reader's clock`;
    if (seenAt === undefined) return { state: 'suspect', reasons: [`${ahead}: its age is unknown (check the server's clock)`], ageMs: null, periodMs };
    reasons.push(`clock ahead: ${ahead}`);
    last = Math.min(seenAt, now);
  } else {
    last = seenAt === undefined ? Math.min(reported, now) : Math.max(Math.min(reported, now), Math.min(seenAt, now));
  }
  const ageMs = Math.max(0, now - last);
  if (ageMs > settings.heartbeat.deadAfterPeriods * periodMs) {
    return { state: 'offline', reasons: [`no heartbeat for ${human(ageMs)} (expected every ${human(periodMs)})`, ...reasons], ageMs, periodMs };
  }
  const resources = resourceHealth(status, settings);
  reasons.push(...resources.reasons);
  if (ageMs > settings.heartbeat.suspectAfterPeriods * periodMs) {
    return { state: 'suspect', reasons: [`heartbeat late: ${human(ageMs)} old (expected every ${human(periodMs)})`, ...reasons], ageMs, periodMs };
  }
  // The agent's own verdict counts too (it may know things the numbers do not show).
  const state = worse(resources.state, status.health.state);
  if (status.health.state !== 'healthy' && state === status.health.state) {
    for (const r of status.health.reasons ?? []) if (!reasons.includes(r)) reasons.push(r);
  }
  return { state, reasons, ageMs, periodMs };
}

/** healthy / degraded / failing from CPU, memory and the fullest disk. */
export function resourceHealth(
  status: Pick<ServerStatus, 'cpu' | 'memory' | 'disks'>,
  settings: ResolvedFleetSettings,
): { state: 'healthy' | 'degraded' | 'failing'; reasons: string[] } {
  const checks: [string, number | undefined, HealthThreshold][] = [
    ['cpu', status.cpu?.usagePercent, settings.health.cpu],
    ['memory', pct(status.memory?.usedBytes, status.memory?.totalBytes), settings.health.memory],
  ];
  for (const d of status.disks ?? []) checks.push([`disk ${d.mount}`, pct(d.usedBytes, d.totalBytes), settings.health.disk]);
  let state: 'healthy' | 'degraded' | 'failing' = 'healthy';
  const reasons: string[] = [];
  for (const [name, value, t] of checks) {
    if (value === undefined) continue;
    if (value >= t.failing) {
      state = 'failing';
      reasons.push(`${name} ${Math.round(value)}% (failing at ${t.failing}%)`);
    } else if (value >= t.degraded) {
      if (state === 'healthy') state = 'degraded';
      reasons.push(`${name} ${Math.round(value)}% (degraded at ${t.degraded}%)`);
    }
  }
  return { state, reasons };
}

function worse<T extends HealthState>(a: T, b: T): T {
  return HEALTH_ORDER.indexOf(a) <= HEALTH_ORDER.indexOf(b) ? a : b;
}

function pct(used: number | undefined, total: number | undefined): number | undefined {
  return used === undefined || !total ? undefined : (used / total) * 100;
}

function human(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}
