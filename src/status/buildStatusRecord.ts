import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import type { AdvertisedKindParams, RunningJob, ServerStatus } from '../schema/types.js';
import { redact } from '../util/redact.js';
import { VERSION } from '../version.js';
import type { HostSample } from './Collector.js';
import { resourceHealth } from './evaluateHealth.js';

export interface StatusInputs {
  server: string;
  sample: HostSample;
  seq: number;
  mode: 'once' | 'daemon' | 'simulated';
  labels: string[];
  capabilities: string[];
  draining: boolean;
  runningJobs: RunningJob[];
  /** Jobs this agent runs at once, and the kinds it runs (none: it takes no jobs). */
  jobSlots?: number;
  jobKinds?: string[];
  /** The parameters of the kinds it runs (JobKinds.advertised()), for `job submit` to check. */
  jobKindParams?: Record<string, AdvertisedKindParams>;
  periodSeconds: number;
  slotSeconds: number;
  history: number[][];
  availability: { pct24h: number; pct7d: number };
  /** Daily up/down seconds (src/status/uptimeHistory.ts). */
  uptime?: NonNullable<ServerStatus['uptime']>;
  remoteLatencyMs?: number;
  settings: ResolvedFleetSettings;
  /** Extra reasons the agent itself has for a worse health (e.g. cannot push). */
  agentProblems?: string[];
}

/** The budget a status record aims for; the oldest history points go first to meet it. */
export const STATUS_TARGET_BYTES = 4096;
/** The share of that budget the kinds' parameters may take; kinds past it are left out (then unchecked at submit). */
export const KIND_PARAMS_BUDGET_BYTES = 1536;

/**
 * Builds this server's status record. Every text field is cut to its schema bound and
 * passed through redact(), so a registered secret (a token) can never be published,
 * whatever a hostname, mount point or label happens to contain.
 */
export function buildStatusRecord(input: StatusInputs): ServerStatus {
  const s = input.sample;
  const record: ServerStatus = {
    schemaVersion: 1,
    server: input.server,
    updatedAt: new Date(s.at).toISOString(),
    seq: input.seq,
    agent: { version: VERSION, node: process.version.slice(0, 40), mode: input.mode },
    host: {
      hostname: text(s.hostname, 255),
      os: text(s.os, 200),
      platform: text(s.platform, 32),
      release: text(s.release, 200),
      arch: text(s.arch, 32),
    },
    cpu: {
      model: text(s.cpuModel, 200),
      cores: Math.max(1, Math.round(s.cores)),
      usagePercent: clamp(round1(s.cpuPercent), 0, 100),
      ...(s.load ? { load: s.load.map((l) => clamp(round2(l), 0, Number.MAX_SAFE_INTEGER)) as [number, number, number] } : {}),
      // A sensor that reads nonsense is left out rather than making the record invalid.
      ...(s.temperatureC !== undefined && Number.isFinite(s.temperatureC) && s.temperatureC >= -100 && s.temperatureC <= 300
        ? { temperatureC: round1(s.temperatureC) }
        : {}),
    },
    memory: { totalBytes: s.memTotal, usedBytes: s.memUsed, swapTotalBytes: s.swapTotal, swapUsedBytes: s.swapUsed },
    disks: s.disks.slice(0, 16).map((d) => ({ mount: text(d.mount, 200), totalBytes: d.total, usedBytes: d.used })),
    uptimeSeconds: Math.max(0, Math.floor(s.uptimeSeconds)),
    ...(input.remoteLatencyMs !== undefined ? { remoteLatencyMs: Math.min(3_600_000, Math.max(0, Math.round(input.remoteLatencyMs))) } : {}),
    labels: input.labels,
    capabilities: input.capabilities,
    draining: input.draining,
    health: { state: 'healthy' },
    jobs: jobsPart(input),
    // Bounded like the schema: no fleet setting may make this server's own record invalid.
    heartbeat: {
      periodSeconds: Math.min(86_400, Math.max(1, Math.round(input.periodSeconds))),
      slotSeconds: Math.min(86_400, Math.max(0, Math.round(input.slotSeconds * 10) / 10)),
    },
    history: input.history,
    availability: input.availability,
    ...(input.uptime && input.uptime.days.length > 0 ? { uptime: input.uptime } : {}),
  };
  const health = resourceHealth(record, input.settings);
  const problems = input.agentProblems ?? [];
  record.health = {
    state: problems.length > 0 && health.state === 'healthy' ? 'degraded' : health.state,
    reasons: [...problems, ...health.reasons].slice(0, 8).map((r) => text(r, 200)),
  };
  if (record.health.reasons?.length === 0) delete record.health.reasons;
  // Keep the record small: drop the oldest history points until it fits the budget.
  while (JSON.stringify(record).length > STATUS_TARGET_BYTES && (record.history?.length ?? 0) > 10) {
    record.history = record.history!.slice(Math.ceil(record.history!.length / 10));
  }
  // Then the oldest uptime days, keeping the 30 the short summary needs.
  while (JSON.stringify(record).length > STATUS_TARGET_BYTES && record.uptime && record.uptime.days.length > 30) {
    const drop = Math.min(10, record.uptime.days.length - 30);
    const from = Date.parse(`${record.uptime.from}T00:00:00Z`) + drop * 86_400_000;
    record.uptime = { from: new Date(from).toISOString().slice(0, 10), days: record.uptime.days.slice(drop) };
  }
  return record;
}

function jobsPart(input: StatusInputs): NonNullable<ServerStatus['jobs']> {
  const kinds = (input.jobKinds ?? []).slice(0, 64);
  const jobs: NonNullable<ServerStatus['jobs']> = { slots: input.jobSlots ?? 0, running: input.runningJobs.slice(0, 64), kinds };
  const params: Record<string, AdvertisedKindParams> = {};
  let bytes = 2;
  for (const [kind, spec] of Object.entries(input.jobKindParams ?? {})) {
    if (!kinds.includes(kind) || Object.keys(params).length >= 16) continue;
    const size = JSON.stringify(kind).length + JSON.stringify(spec).length + 2;
    if (bytes + size > KIND_PARAMS_BUDGET_BYTES) continue;
    params[kind] = spec;
    bytes += size;
  }
  if (Object.keys(params).length > 0) jobs.kindParams = params;
  return jobs;
}

function text(value: string, max: number): string {
  return redact(String(value ?? ''))
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .slice(0, max);
}

const round1 = (n: number) => Math.round(n * 10) / 10;
/** Within [min, max]; NaN becomes min (a value the schema accepts, never an invalid record). */
const clamp = (n: number, min: number, max: number) => (Number.isNaN(n) ? min : Math.min(max, Math.max(min, n)));
const round2 = (n: number) => Math.round(n * 100) / 100;
