import { resolveFleetSettingsWithWarnings, type ResolvedFleetSettings } from '../settings/fleetSettings.js';
import { invalidFleetWarning, readFleetRecord } from '../settings/readFleetRecord.js';
import type { ServerStatus } from '../schema/types.js';
import type { InvalidFile, Snapshot } from '../store/Snapshot.js';
import { liveRecordId } from '../store/recordPaths.js';
import { evaluateHealth, HEALTH_ORDER, type HealthState } from './evaluateHealth.js';
import { isHeld } from '../jobs/jobLifecycle.js';
import { compareServerNames } from './compareServerNames.js';
import { uptimePercents, uptimeView } from './uptimeView.js';

/** A server's daily availability in `status --json`: percentages over 30 and 90 days, and the days. */
export interface UptimeSummary {
  pct30: number | null;
  pct90: number | null;
  /**
   * Oldest first, 90 UTC days ending today; seconds up, down and in maintenance. Only when
   * asked for (`status --json`): the table, the metrics and the badges show the percentages.
   */
  days?: { date: string; pct: number | null; up: number; down: number; maintenance: number }[];
}

export interface FleetOverviewOptions {
  /** When the fleet is judged (ms since the epoch). */
  now?: number;
  /** Each server's 90 days of uptime (UptimeSummary.days), not only its percentages. */
  uptimeDays?: boolean;
}

export interface ServerRow {
  server: string;
  health: HealthState | 'invalid';
  reasons: string[];
  updatedAt: string | null;
  ageSeconds: number | null;
  cpuPercent: number | null;
  memoryPercent: number | null;
  diskPercent: number | null;
  load1: number | null;
  runningJobs: number;
  labels: string[];
  draining: boolean;
  /** When its maintenance window ends (fleet.json), while it is in one, else null. */
  maintenanceUntil: string | null;
  /** Daily availability (null for a row without a readable status). */
  uptime: UptimeSummary | null;
  /**
   * Jobs the repository says this server holds (assigned or running, from jobs/): the source of
   * truth, so a failover shows at once, while `runningJobs` is what the server last reported.
   */
  heldJobs: number;
}

/**
 * One row per server, worst health first (then by name): what `gitfleet status` prints.
 * A status file that fails validation still gets a row, marked invalid with its reason.
 */
export async function fleetOverview(
  snapshot: Snapshot,
  remoteUrl: string,
  { now = Date.now(), uptimeDays = false }: FleetOverviewOptions = {},
): Promise<{ rows: ServerRow[]; invalid: InvalidFile[]; warnings: string[] }> {
  const [fleet, { records, invalid }, jobs] = await readOverviewInputs(snapshot);
  const held = new Map<string, number>();
  for (const job of jobs.records) {
    const server = job.assignment?.server;
    if (server && isHeld(job)) held.set(server, (held.get(server) ?? 0) + 1);
  }
  const resolved = resolveFleetSettingsWithWarnings(fleet.state === 'valid' ? fleet.fleet : null, remoteUrl);
  const settings = resolved.settings;
  // Said, not swallowed: with fleet.json invalid the thresholds and the drain list are defaults.
  const warnings = fleet.state === 'invalid' ? [invalidFleetWarning(fleet.reason)] : resolved.warnings.map((w) => `fleet.json: ${w}`);
  // fleet.json's drain list is the source of truth: a dead server never reports its drain.
  const drained = new Set(fleet.state === 'valid' ? settings.drain : []);
  const rows = records.map((s) => ({
    ...row(s, settings, now, records.length + invalid.length, drained.has(s.server), uptimeDays),
    heldJobs: held.get(s.server) ?? 0,
  }));
  for (const bad of invalid) {
    const server = liveRecordId(bad.path, 'status') ?? bad.path;
    rows.push({
      server,
      health: 'invalid',
      reasons: [bad.reason],
      updatedAt: null,
      ageSeconds: null,
      cpuPercent: null,
      memoryPercent: null,
      diskPercent: null,
      load1: null,
      runningJobs: 0,
      labels: [],
      draining: drained.has(server),
      maintenanceUntil: null,
      uptime: null,
      heldJobs: held.get(server) ?? 0,
    });
  }
  const rank = (h: ServerRow['health']) => (h === 'invalid' ? -1 : HEALTH_ORDER.indexOf(h));
  rows.sort((a, b) => rank(a.health) - rank(b.health) || compareServerNames(a.server, b.server));
  return { rows, invalid, warnings };
}

/** What fleetOverview reads: fleet.json, the status records and the jobs. */
export function readOverviewInputs(snapshot: Snapshot) {
  return Promise.all([readFleetRecord(snapshot), snapshot.list('status'), snapshot.list('job')]);
}

function row(
  s: ServerStatus,
  settings: ResolvedFleetSettings,
  now: number,
  fleetSize: number,
  drainedInFleet: boolean,
  uptimeDays: boolean,
): Omit<ServerRow, 'heldJobs'> {
  const verdict = evaluateHealth(s, settings, now, undefined, fleetSize);
  const pct = (u?: number, t?: number) => (u === undefined || !t ? null : Math.round((u / t) * 1000) / 10);
  const disks = (s.disks ?? []).map((d) => pct(d.usedBytes, d.totalBytes) ?? 0);
  return {
    server: s.server,
    health: verdict.state,
    reasons: verdict.reasons,
    updatedAt: s.updatedAt,
    ageSeconds: verdict.ageMs === null ? null : Math.round(verdict.ageMs / 1000),
    cpuPercent: s.cpu?.usagePercent ?? null,
    memoryPercent: pct(s.memory?.usedBytes, s.memory?.totalBytes),
    diskPercent: disks.length ? Math.max(...disks) : null,
    load1: s.cpu?.load?.[0] ?? null,
    runningJobs: s.jobs?.running?.length ?? 0,
    labels: s.labels ?? [],
    draining: drainedInFleet || Boolean(s.draining),
    maintenanceUntil: verdict.maintenanceUntil === undefined ? null : new Date(verdict.maintenanceUntil).toISOString(),
    uptime: uptimeDays ? uptimeSummary(s, settings, verdict, now) : uptimePercents(s, settings, verdict, now),
  };
}

function uptimeSummary(s: ServerStatus, settings: ResolvedFleetSettings, verdict: { ageMs: number | null; periodMs: number }, now: number): UptimeSummary {
  const view = uptimeView(s, settings, verdict, now);
  const sec = (ms: number) => Math.round(ms / 1000);
  return {
    pct30: view.pct30,
    pct90: view.pct90,
    days: view.days.map((d) => ({ date: d.date, pct: d.pct, up: sec(d.upMs), down: sec(d.downMs), maintenance: sec(d.maintenanceMs) })),
  };
}
