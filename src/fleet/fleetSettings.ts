import type { FleetSettings, HealthThreshold, Webhook } from '../schema/types.js';

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
  health: { cpu: HealthThreshold; memory: HealthThreshold; disk: HealthThreshold };
  placement: { strategy: 'spread' | 'binpack' | 'round-robin' | 'cpu-aware'; maxJobsPerServer: number };
  jobs: { defaultMaxAttempts: number; defaultTimeoutSeconds: number; retryBaseSeconds: number; retryMaxSeconds: number; archiveAfterHours: number };
  messages: { defaultTtlDays: number; archiveAfterDays: number };
  coordinator: { leaseSeconds: number; tickSeconds: number };
  webhooks: Webhook[];
  /** Servers an operator has drained. */
  drain: string[];
}

/** GitHub asks for no more than about 6 pushes a minute to one repository; self-hosted servers take far more. */
export function defaultPushBudget(remoteUrl: string): number {
  return /^(https?:\/\/|ssh:\/\/|git@)([^/@]*@)?github\.com[:/]/i.test(remoteUrl) ? 6 : 60;
}

export function resolveFleetSettings(fleet: FleetSettings | null | undefined, remoteUrl = ''): ResolvedFleetSettings {
  const f = fleet ?? { schemaVersion: 1 };
  const periodSeconds = f.heartbeat?.periodSeconds ?? 60;
  return {
    name: f.name ?? 'fleet',
    heartbeat: {
      periodSeconds,
      sampleSeconds: Math.min(f.heartbeat?.sampleSeconds ?? 15, periodSeconds),
      adaptive: f.heartbeat?.adaptive ?? true,
      // An idle agent may skip one heartbeat (maxSilencePeriods = 2), so "suspect" starts
      // after 3 periods and "dead" after 6: a slow or quiet heartbeat never looks dead.
      maxSilencePeriods: f.heartbeat?.skipUnchanged === false ? 1 : 2,
      suspectAfterPeriods: f.heartbeat?.suspectAfterPeriods ?? 3,
      deadAfterPeriods: Math.max(f.heartbeat?.deadAfterPeriods ?? 6, (f.heartbeat?.suspectAfterPeriods ?? 3) + 1),
    },
    pushBudget: { pushesPerMinute: f.pushBudget?.pushesPerMinute ?? defaultPushBudget(remoteUrl) },
    // Build servers run their CPUs hot by design, so CPU alone degrades late.
    health: {
      cpu: f.health?.cpu ?? { degraded: 90, failing: 98 },
      memory: f.health?.memory ?? { degraded: 80, failing: 95 },
      disk: f.health?.disk ?? { degraded: 80, failing: 90 },
    },
    placement: { strategy: f.placement?.strategy ?? 'spread', maxJobsPerServer: f.placement?.maxJobsPerServer ?? 4 },
    jobs: {
      defaultMaxAttempts: f.jobs?.defaultMaxAttempts ?? 3,
      defaultTimeoutSeconds: f.jobs?.defaultTimeoutSeconds ?? 3600,
      retryBaseSeconds: f.jobs?.retryBaseSeconds ?? 10,
      retryMaxSeconds: f.jobs?.retryMaxSeconds ?? 600,
      archiveAfterHours: f.jobs?.archiveAfterHours ?? 24,
    },
    messages: { defaultTtlDays: f.messages?.defaultTtlDays ?? 30, archiveAfterDays: f.messages?.archiveAfterDays ?? 30 },
    coordinator: { leaseSeconds: f.coordinator?.leaseSeconds ?? 60, tickSeconds: f.coordinator?.tickSeconds ?? 10 },
    webhooks: f.webhooks ?? [],
    drain: f.drain ?? [],
  };
}
