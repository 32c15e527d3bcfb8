import { fnv1a } from '../util/fnv1a.js';

/**
 * Where in its period a relay ticks, derived from its name: relays started in the same
 * second (a fleet rebooted, a bench) would otherwise fold in the same second, lose races
 * to each other on the upstream branch and pay a replayed push for each lost one. A
 * stable hash spreads them over the period and keeps each at its place across restarts.
 */
export function relayPhaseMs(name: string, periodMs: number): number {
  // FNV-1a: stable across processes and versions, enough to spread names.
  let hash = fnv1a(name);
  // A final avalanche (murmur3's fmix32): names that differ in their last character
  // (relay-1, relay-2) must land far apart, not a multiple of the FNV prime apart.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  hash >>>= 0;
  return hash % Math.max(1, Math.floor(periodMs));
}

/** How long from `now` until the next tick at `phaseMs` into a period of `periodMs` (never 0: a tick just run waits a whole period). */
export function nextPhaseDelay(now: number, periodMs: number, phaseMs: number): number {
  const into = (((now - phaseMs) % periodMs) + periodMs) % periodMs;
  return into === 0 ? periodMs : periodMs - into;
}
