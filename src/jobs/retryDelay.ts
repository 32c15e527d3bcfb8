import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';

/**
 * How long a failed job waits before its next attempt: exponential in the number of
 * failures (base, 2x base, 4x base, ...) up to the cap, with "equal jitter" (half
 * fixed, half random) so that jobs that failed together do not all come back together,
 * while none comes back immediately.
 */
export function retryDelayMs(failures: number, settings: ResolvedFleetSettings, random: () => number = Math.random): number {
  const base = settings.jobs.retryBaseSeconds * 1000;
  const cap = Math.max(base, settings.jobs.retryMaxSeconds * 1000);
  const exp = Math.min(cap, base * 2 ** Math.max(0, Math.min(30, failures - 1)));
  return Math.round(exp / 2 + random() * (exp / 2));
}
