import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';

/** Share of the push budget heartbeats may use; the rest is kept for events (jobs, messages). */
export const HEARTBEAT_SHARE = 0.6;
/** Sample intervals that divide a minute, so ticks can be written as cron expressions. */
const SAMPLE_STEPS = [5, 6, 10, 12, 15, 20, 30, 60];
/** Heartbeat periods an adaptive fleet rounds up to (seconds). */
/** The longest heartbeat period (a day): the status schema's bound, whatever the budget and fleet size say. */
export const MAX_PERIOD_SECONDS = 86_400;
const PERIOD_STEPS = [10, 15, 20, 30, 60, 120, 180, 240, 300, 360, 600, 720, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/**
 * A stable 32-bit hash (FNV-1a, then murmur3's finaliser), so a server keeps its slot
 * across restarts and hosts. FNV alone leaves ids like web-001..web-200 bunched in one
 * part of the period; the finaliser spreads every input bit over the result.
 */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Where in each period this server pushes its heartbeat: a stable offset derived from
 * its id, so a fleet spreads its pushes over the period instead of all at :00.
 */
export function slotOffsetMs(serverId: string, periodMs: number): number {
  return Math.floor((hash32(serverId) / 2 ** 32) * periodMs);
}

/**
 * The heartbeat period for a fleet of `fleetSize` servers: the configured period, made
 * longer when the whole fleet would otherwise push more often than its budget allows
 * (heartbeats get HEARTBEAT_SHARE of it), rounded up to a step that cron can express.
 */
export function effectivePeriodSeconds(settings: ResolvedFleetSettings, fleetSize: number): number {
  const base = Math.min(MAX_PERIOD_SECONDS, Math.max(1, Math.round(settings.heartbeat.periodSeconds)));
  if (!settings.heartbeat.adaptive) return base;
  const needed = (Math.max(1, fleetSize) * 60) / (settings.pushBudget.pushesPerMinute * HEARTBEAT_SHARE);
  // NaN or Infinity (a budget no schema checked) must not become the announced period.
  const wanted = Number.isFinite(needed) ? Math.max(base, needed) : MAX_PERIOD_SECONDS;
  return Math.min(MAX_PERIOD_SECONDS, PERIOD_STEPS.find((step) => step >= wanted) ?? Math.ceil(wanted));
}

/**
 * The longest heartbeat period a reader accepts from a server's own status: twice what
 * the fleet's settings give for its size (an agent that counted a bigger fleet a moment
 * ago announces a longer one), never more than a day. Without a fleet size, a day.
 */
export function maxAnnouncedPeriodSeconds(settings: ResolvedFleetSettings, fleetSize?: number): number {
  return fleetSize === undefined ? MAX_PERIOD_SECONDS : Math.min(MAX_PERIOD_SECONDS, 2 * effectivePeriodSeconds(settings, fleetSize));
}

/** The sampling interval, rounded to a divisor of a minute and never longer than the period. */
export function sampleStepSeconds(settings: ResolvedFleetSettings, periodSeconds: number): number {
  const wanted = Math.min(settings.heartbeat.sampleSeconds, periodSeconds, 60);
  return [...SAMPLE_STEPS].reverse().find((s) => s <= wanted) ?? 5;
}

/** The latest slot instant at or before `now` (periods are aligned to the epoch). */
export function slotAtOrBefore(now: number, serverId: string, periodMs: number): number {
  const offset = slotOffsetMs(serverId, periodMs);
  return Math.floor((now - offset) / periodMs) * periodMs + offset;
}

export function nextSlot(now: number, serverId: string, periodMs: number): number {
  const last = slotAtOrBefore(now, serverId, periodMs);
  return last === now ? now : last + periodMs;
}

/** A heartbeat is due once per period: when this period's slot has passed since the last push. */
export function isHeartbeatDue(lastPushAt: number | null, now: number, serverId: string, periodMs: number): boolean {
  if (lastPushAt === null) return true;
  // Missed slots (the agent was down or offline): push now rather than wait a period.
  if (now - lastPushAt >= periodMs * 1.5) return true;
  return slotAtOrBefore(now, serverId, periodMs) > lastPushAt;
}

/**
 * A node-cron expression (with seconds) that ticks every `stepSeconds`, shifted so that
 * one tick falls exactly on this server's slot: e.g. "7,22,37,52 * * * * *".
 */
export function sampleCronExpression(serverId: string, periodSeconds: number, stepSeconds: number): string {
  const offset = Math.floor(slotOffsetMs(serverId, periodSeconds * 1000) / 1000) % stepSeconds;
  const seconds: number[] = [];
  for (let s = offset; s < 60; s += stepSeconds) seconds.push(s);
  return `${seconds.join(',')} * * * * *`;
}
