import type { FleetSettings, HealthThreshold, Webhook } from '../schema/types.js';
import { parseDuration } from '../util/duration.js';
import { resolveWindows, type ResolvedWindow } from './maintenanceWindows.js';

/** fleet.json with every default filled in: what the rest of gitfleet works from. */
export interface ResolvedFleetSettings {
  name: string;
  heartbeat: {
    periodSeconds: number;
    sampleSeconds: number;
    adaptive: boolean;
    /** An unchanged status is pushed at least once every this many periods. */
    maxSilencePeriods: number;
    suspectAfterPeriods: number;
    deadAfterPeriods: number;
  };
  pushBudget: { pushesPerMinute: number };
  /** The git host's limits for one repository (default: GitHub's published figures). */
  host: { pushesPerMinute: number; readsPerSecond: number };
  /** Relays declared in fleet.json (null: none declared), for the budget projection. */
  relays: { count: number; periodSeconds: number; servers: number | null } | null;
  /** Scheduled compaction by the leading coordinator (null: none). */
  compaction: { everyMs: number; keepDays: number; targetMiB: number } | null;
  health: { cpu: HealthThreshold; memory: HealthThreshold; disk: HealthThreshold };
  placement: { strategy: 'spread' | 'binpack' | 'round-robin' | 'cpu-aware'; maxJobsPerServer: number };
  jobs: { defaultMaxAttempts: number; defaultTimeoutSeconds: number; retryBaseSeconds: number; retryMaxSeconds: number; archiveAfterHours: number };
  messages: { defaultTtlDays: number; archiveAfterDays: number };
  coordinator: { leaseSeconds: number; tickSeconds: number };
  webhooks: Webhook[];
  /** Servers an operator has drained. */
  drain: string[];
  /** Maintenance windows that can be acted on (src/settings/maintenanceWindows.ts). */
  maintenance: ResolvedWindow[];
}

const DAY_MS = 86_400_000;

/** GitHub's published limits for one repository: about 6 pushes a minute recommended, 15 git reads a second. */
export const GITHUB_LIMITS = { pushesPerMinute: 6, readsPerSecond: 15 } as const;

/** GitHub asks for no more than about 6 pushes a minute to one repository; self-hosted servers take far more. */
export function defaultPushBudget(remoteUrl: string): number {
  return /^(https?:\/\/|ssh:\/\/|git@)([^/@]*@)?github\.com[:/]/i.test(remoteUrl) ? 6 : 60;
}

/**
 * The host's limits when fleet.json names none: GitHub's published figures for
 * github.com; ten times them elsewhere (the same ratio as the default push budget: a
 * self-hosted server takes far more, and its owner can write the real figures down).
 */
export function defaultHostLimits(remoteUrl: string): { pushesPerMinute: number; readsPerSecond: number } {
  const github = defaultPushBudget(remoteUrl) === 6;
  return github ? { ...GITHUB_LIMITS } : { pushesPerMinute: 60, readsPerSecond: 150 };
}

/**
 * The bounds of every numeric setting of fleet.json: the schema's (a drift test keeps
 * them equal), applied again here because settings also come from places no schema
 * checked (an agent's saved state) and because a value the schema admits must still
 * never make an agent's own status invalid.
 */
export const SETTING_BOUNDS = {
  'heartbeat.periodSeconds': { min: 10, max: 86_400, integer: true },
  'heartbeat.sampleSeconds': { min: 5, max: 3600, integer: true },
  'heartbeat.suspectAfterPeriods': { min: 1, max: 50, integer: false },
  'heartbeat.deadAfterPeriods': { min: 1.5, max: 100, integer: false },
  'pushBudget.pushesPerMinute': { min: 0.1, max: 6000, integer: false },
  'host.pushesPerMinute': { min: 0.1, max: 6000, integer: false },
  'host.readsPerSecond': { min: 0.1, max: 10_000, integer: false },
  'relays.count': { min: 0, max: 10_000, integer: true },
  'relays.periodSeconds': { min: 1, max: 86_400, integer: true },
  'relays.servers': { min: 0, max: 1_000_000, integer: true },
  'compaction.keepDays': { min: 0, max: 3650, integer: false },
  'compaction.targetMiB': { min: 1, max: 1_000_000, integer: false },
  'placement.maxJobsPerServer': { min: 1, max: 1024, integer: true },
  'jobs.defaultMaxAttempts': { min: 1, max: 100, integer: true },
  'jobs.defaultTimeoutSeconds': { min: 1, max: 604_800, integer: true },
  'jobs.retryBaseSeconds': { min: 0, max: 86_400, integer: false },
  'jobs.retryMaxSeconds': { min: 0, max: 604_800, integer: false },
  'jobs.archiveAfterHours': { min: 0, max: 87_600, integer: false },
  'messages.defaultTtlDays': { min: 0, max: 3650, integer: false },
  'messages.archiveAfterDays': { min: 1, max: 3650, integer: false },
  'coordinator.leaseSeconds': { min: 5, max: 3600, integer: true },
  'coordinator.tickSeconds': { min: 1, max: 3600, integer: true },
} as const satisfies Record<string, { min: number; max: number; integer: boolean }>;

export type SettingName = keyof typeof SETTING_BOUNDS;

/** fleet.json with defaults, each number clamped to its bounds, and what had to be changed. */
export function resolveFleetSettingsWithWarnings(
  fleet: FleetSettings | null | undefined,
  remoteUrl = '',
): { settings: ResolvedFleetSettings; warnings: string[] } {
  const f = fleet ?? { schemaVersion: 1 };
  const warnings: string[] = [];
  const num = (name: SettingName, value: unknown, fallback: number): number => {
    if (value === undefined || value === null) return fallback;
    const b = SETTING_BOUNDS[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      warnings.push(`${name} ${JSON.stringify(value)} is not a number: ${fallback} used`);
      return fallback;
    }
    let v = Math.min(b.max, Math.max(b.min, value));
    if (b.integer) v = Math.round(v);
    if (v !== value) warnings.push(`${name} ${value} is outside ${b.min}..${b.max}${b.integer ? ' (a whole number)' : ''}: ${v} used`);
    return v;
  };
  const periodSeconds = num('heartbeat.periodSeconds', f.heartbeat?.periodSeconds, 60);
  const suspectAfterPeriods = num('heartbeat.suspectAfterPeriods', f.heartbeat?.suspectAfterPeriods, 3);
  const threshold = (name: string, t: HealthThreshold | undefined, fallback: HealthThreshold): HealthThreshold => {
    if (!t) return fallback;
    const pct = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(100, Math.max(0, v)) : d);
    const degraded = pct(t.degraded, fallback.degraded);
    const failing = pct(t.failing, fallback.failing);
    if (degraded !== t.degraded || failing !== t.failing) warnings.push(`health.${name} thresholds are outside 0..100 %: ${degraded}/${failing} used`);
    return { degraded, failing };
  };
  const retryBaseSeconds = num('jobs.retryBaseSeconds', f.jobs?.retryBaseSeconds, 10);
  const leaseSeconds = num('coordinator.leaseSeconds', f.coordinator?.leaseSeconds, 60);
  let tickSeconds = num('coordinator.tickSeconds', f.coordinator?.tickSeconds, 10);
  // A tick slower than half the lease lets the lease lapse between two renewals.
  if (tickSeconds > leaseSeconds / 2) {
    const fixed = Math.max(1, Math.floor(leaseSeconds / 2));
    warnings.push(`coordinator.tickSeconds ${tickSeconds} is more than half of leaseSeconds ${leaseSeconds}: ${fixed} used`);
    tickSeconds = fixed;
  }
  let compaction: ResolvedFleetSettings['compaction'] = null;
  if (f.compaction) {
    const every = parseDuration(f.compaction.every ?? '1d');
    // A schedule faster than 10 s would rewrite history on most ticks.
    const everyMs = every === null ? DAY_MS : Math.max(10_000, every);
    if (every === null || every < 10_000)
      warnings.push(`compaction.every ${JSON.stringify(f.compaction.every)} is not a duration of at least 10s: ${everyMs / 1000} s used`);
    compaction = {
      everyMs,
      keepDays: num('compaction.keepDays', f.compaction.keepDays, 7),
      targetMiB: num('compaction.targetMiB', f.compaction.targetMiB, 512),
    };
  }
  const drain = Array.isArray(f.drain) ? f.drain : [];
  const maintenance = resolveWindows(Array.isArray(f.maintenance) ? f.maintenance : []);
  warnings.push(...maintenance.warnings);
  const settings: ResolvedFleetSettings = {
    name: f.name ?? 'fleet',
    heartbeat: {
      periodSeconds,
      sampleSeconds: Math.min(num('heartbeat.sampleSeconds', f.heartbeat?.sampleSeconds, 15), periodSeconds),
      adaptive: f.heartbeat?.adaptive ?? true,
      // An idle agent may skip one heartbeat (maxSilencePeriods = 2), so "suspect" starts
      // after 3 periods and "dead" after 6: a slow or quiet heartbeat never looks dead.
      maxSilencePeriods: f.heartbeat?.skipUnchanged === false ? 1 : 2,
      suspectAfterPeriods,
      deadAfterPeriods: Math.max(num('heartbeat.deadAfterPeriods', f.heartbeat?.deadAfterPeriods, 6), suspectAfterPeriods + 1),
    },
    pushBudget: { pushesPerMinute: num('pushBudget.pushesPerMinute', f.pushBudget?.pushesPerMinute, defaultPushBudget(remoteUrl)) },
    // Build servers run their CPUs hot by design, so CPU alone degrades late.
    host: {
      pushesPerMinute: num('host.pushesPerMinute', f.host?.pushesPerMinute, defaultHostLimits(remoteUrl).pushesPerMinute),
      readsPerSecond: num('host.readsPerSecond', f.host?.readsPerSecond, defaultHostLimits(remoteUrl).readsPerSecond),
    },
    relays: f.relays
      ? {
          count: num('relays.count', f.relays.count, 0),
          periodSeconds: num('relays.periodSeconds', f.relays.periodSeconds, periodSeconds),
          servers: f.relays.servers === undefined ? null : num('relays.servers', f.relays.servers, 0),
        }
      : null,
    compaction,
    health: {
      cpu: threshold('cpu', f.health?.cpu, { degraded: 90, failing: 98 }),
      memory: threshold('memory', f.health?.memory, { degraded: 80, failing: 95 }),
      disk: threshold('disk', f.health?.disk, { degraded: 80, failing: 90 }),
    },
    placement: { strategy: f.placement?.strategy ?? 'spread', maxJobsPerServer: num('placement.maxJobsPerServer', f.placement?.maxJobsPerServer, 4) },
    jobs: {
      defaultMaxAttempts: num('jobs.defaultMaxAttempts', f.jobs?.defaultMaxAttempts, 3),
      defaultTimeoutSeconds: num('jobs.defaultTimeoutSeconds', f.jobs?.defaultTimeoutSeconds, 3600),
      retryBaseSeconds,
      retryMaxSeconds: Math.max(retryBaseSeconds, num('jobs.retryMaxSeconds', f.jobs?.retryMaxSeconds, 600)),
      archiveAfterHours: num('jobs.archiveAfterHours', f.jobs?.archiveAfterHours, 24),
    },
    messages: {
      defaultTtlDays: num('messages.defaultTtlDays', f.messages?.defaultTtlDays, 30),
      archiveAfterDays: num('messages.archiveAfterDays', f.messages?.archiveAfterDays, 30),
    },
    coordinator: { leaseSeconds, tickSeconds },
    webhooks: Array.isArray(f.webhooks) ? f.webhooks : [],
    drain,
    maintenance: maintenance.windows,
  };
  return { settings, warnings };
}

/** fleet.json with defaults and bounds applied (see resolveFleetSettingsWithWarnings for what was changed). */
export function resolveFleetSettings(fleet: FleetSettings | null | undefined, remoteUrl = ''): ResolvedFleetSettings {
  return resolveFleetSettingsWithWarnings(fleet, remoteUrl).settings;
}
