import type { ServerStatus } from '../schema/types.js';
import { field, numberOf, oneLine, textOf } from './cleanText.js';
import { normaliseTime } from './normaliseTime.js';

export type Parsed<T> = { record: T; notes: string[] } | { skip: string };

const GB = 1_000_000_000;
const HEALTHY = new Set(['idle', 'building', 'busy', 'running', 'online', 'ok', 'ready', 'success', 'active']);
const FAILING = new Set(['failed', 'error', 'offline', 'down', 'dead', 'unhealthy']);

export interface BuildServerInput {
  /** The Build folder (build1) and the gitfleet id it maps to. */
  folder: string;
  server: string;
  /** build1/status.json and build1/heartbeat.json, parsed (undefined: absent). */
  status: unknown;
  heartbeat: unknown;
}

/**
 * A Build server's status.json and heartbeat.json as one gitfleet status record: the
 * newer of their timestamps, CPU (system.cpu_usage), memory (used and total, in GB or
 * bytes), uptime, hostname and cores, and Build's own state (idle/building) and current
 * job kept in `imported`. Numbers may be strings; a value out of range is left out and said.
 */
export function parseBuildStatus(input: BuildServerInput): Parsed<ServerStatus> {
  const { status, heartbeat } = input;
  const notes: string[] = [];
  const s = isObject(status) ? status : {};
  const h = isObject(heartbeat) ? heartbeat : {};
  if (!isObject(status) && !isObject(heartbeat)) return { skip: 'neither status.json nor heartbeat.json holds a JSON object' };
  const times = [field(s, 'timestamp', 'updated_at', 'last_update', 'time'), field(h, 'timestamp', 'last_heartbeat', 'time')]
    .map(normaliseTime)
    .filter((t): t is string => t !== null)
    .sort();
  const updatedAt = times.at(-1);
  if (!updatedAt) return { skip: 'no usable timestamp in status.json or heartbeat.json' };

  const record: ServerStatus = { schemaVersion: 1, server: input.server, updatedAt, seq: 0, health: { state: 'healthy' } };
  const hostname = textOf(field(s, 'hostname', 'host', 'system.hostname') ?? field(h, 'hostname'));
  if (hostname) record.host = { hostname: oneLine(hostname, 255) };

  const cpu: NonNullable<ServerStatus['cpu']> = {};
  const usage = numberOf(field(s, 'system.cpu_usage', 'system.cpu_percent', 'cpu_usage', 'cpu_percent', 'cpu.usage', 'cpu.percent', 'cpu'));
  if (usage !== null) {
    if (usage >= 0 && usage <= 100) cpu.usagePercent = usage;
    else notes.push(`cpu usage ${usage} is not a percentage: left out`);
  }
  const cores = numberOf(field(s, 'system.cores', 'system.cpu_cores', 'cores', 'cpu_cores', 'cpu.cores', 'nproc'));
  if (cores !== null) {
    if (Number.isInteger(cores) && cores >= 1 && cores <= 65536) cpu.cores = cores;
    else notes.push(`cores ${cores} is not a count of cores: left out`);
  }
  if (Object.keys(cpu).length) record.cpu = cpu;

  const memory = memoryOf(s, notes);
  if (memory) record.memory = memory;

  const uptime = uptimeSeconds(field(h, 'uptime_seconds', 'uptime') ?? field(s, 'uptime_seconds', 'system.uptime_seconds', 'uptime', 'system.uptime'));
  if (uptime !== undefined) {
    if (uptime === null) notes.push('uptime not understood: left out');
    else record.uptimeSeconds = uptime;
  }

  const state = textOf(field(s, 'status', 'state'));
  const healthy = field(h, 'healthy');
  if (healthy === false || (state && FAILING.has(state.toLowerCase()))) {
    record.health = { state: 'failing', reasons: [oneLine(`Build reported ${healthy === false ? 'healthy: false' : `status ${state}`}`)] };
  } else if (state && !HEALTHY.has(state.toLowerCase())) {
    record.health = { state: 'degraded', reasons: [oneLine(`Build status ${JSON.stringify(state)} is not one gitfleet knows`)] };
  }
  const current = field(s, 'current_job.id', 'current_job', 'job', 'job_id');
  const currentJob = typeof current === 'string' || typeof current === 'number' ? oneLine(String(current)) : undefined;
  record.imported = {
    system: 'build',
    key: oneLine(`${input.folder}/status.json`, 300),
    ...(input.folder !== input.server ? { id: oneLine(input.folder) } : {}),
    ...(state ? { state: oneLine(state, 40) } : {}),
    ...(currentJob ? { currentJob } : {}),
  };
  return { record, notes };
}

function memoryOf(s: Record<string, unknown>, notes: string[]): ServerStatus['memory'] | undefined {
  const gb = (names: string[]) => numberOf(field(s, ...names));
  const usedGb = gb(['system.memory_used_gb', 'memory_used_gb', 'memory.used_gb']);
  const totalGb = gb(['system.memory_total_gb', 'memory_total_gb', 'memory.total_gb']);
  const usedB = numberOf(field(s, 'system.memory_used_bytes', 'memory_used_bytes', 'memory.used_bytes', 'memory.used'));
  const totalB = numberOf(field(s, 'system.memory_total_bytes', 'memory_total_bytes', 'memory.total_bytes', 'memory.total'));
  const percent = numberOf(field(s, 'system.memory_percent', 'system.memory_usage', 'memory_percent', 'memory_usage', 'memory.percent'));
  const total = totalB ?? (totalGb !== null ? totalGb * GB : null);
  let used = usedB ?? (usedGb !== null ? usedGb * GB : null);
  if (used === null && total !== null && percent !== null && percent >= 0 && percent <= 100) used = (total * percent) / 100;
  const bytes = (n: number | null) => (n !== null && n >= 0 && Number.isSafeInteger(Math.round(n)) ? Math.round(n) : null);
  const out: NonNullable<ServerStatus['memory']> = {};
  if (bytes(total) !== null) out.totalBytes = bytes(total)!;
  if (bytes(used) !== null) out.usedBytes = bytes(used)!;
  if (out.totalBytes !== undefined && out.usedBytes !== undefined && out.usedBytes > out.totalBytes) {
    notes.push('memory used is more than the total: total left out');
    delete out.totalBytes;
  }
  if (percent !== null && total === null) notes.push('memory given as a percentage without a total: gitfleet keeps bytes, left out');
  return Object.keys(out).length ? out : undefined;
}

/** Seconds from a number, a numeric string, "3 days, 2:01:05", "2:01" or "1d 2h 3m"; null when not understood. */
export function uptimeSeconds(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  const n = numberOf(value);
  if (n !== null) return n >= 0 && Number.isSafeInteger(Math.round(n)) ? Math.round(n) : null;
  if (typeof value !== 'string' || value.length > 100) return null;
  const text = value
    .trim()
    .toLowerCase()
    .replace(/^up\s+/, '');
  let total = 0;
  let matched = false;
  const clock = /(\d+):(\d{2})(?::(\d{2}))?\s*$/.exec(text);
  if (clock) {
    total += Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3] ?? 0);
    matched = true;
  }
  const units: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
  for (const m of (clock ? text.slice(0, clock.index) : text).matchAll(/(\d+)\s*(weeks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b/g)) {
    total += Number(m[1]) * units[m[2]![0]!]!;
    matched = true;
  }
  return matched ? total : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
