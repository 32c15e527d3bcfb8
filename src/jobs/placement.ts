import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import type { Job, ServerStatus } from '../schema/types.js';

export type Liveness = 'alive' | 'suspect' | 'dead';

/** A server as placement sees it: its last status, whether it is alive, and what it holds. */
export interface ServerCandidate {
  server: string;
  status: ServerStatus;
  liveness: Liveness;
  /** Jobs assigned to or running on it, including assignments made earlier in this tick. */
  load: number;
  /** When its maintenance window ends (ms), while it is in one: it takes no new jobs, and its jobs are not failed over. */
  maintenanceUntil?: number;
}

export type Strategy = ResolvedFleetSettings['placement']['strategy'];

/** Jobs a server takes at once: what its agent offers, capped by the fleet. */
export function capacityOf(status: ServerStatus, settings: ResolvedFleetSettings): number {
  return Math.min(status.jobs?.slots ?? 0, settings.placement.maxJobsPerServer);
}

/** Why this server cannot take this job, or null when it can. */
export function ineligibility(job: Job, c: ServerCandidate, settings: ResolvedFleetSettings): string | null {
  const s = c.status;
  if (c.liveness !== 'alive') return `${c.liveness}`;
  if (s.health.state === 'failing') return 'failing';
  if (c.maintenanceUntil !== undefined) return 'in maintenance';
  if (s.draining || settings.drain.includes(c.server)) return 'draining';
  if (!(s.jobs?.kinds ?? []).includes(job.kind)) return `does not run kind ${job.kind}`;
  if (c.load >= capacityOf(s, settings)) return 'no free slot';
  const k = job.constraints;
  if (k) {
    const labels = new Set(s.labels ?? []);
    const missing = (k.labels ?? []).find((l) => !labels.has(l));
    if (missing) return `no label ${missing}`;
    if (k.os?.length) {
      const names = [s.host?.platform, s.host?.os?.split(/\s+/)[0]].filter(Boolean).map((n) => n!.toLowerCase());
      if (!k.os.some((os) => names.includes(os))) return `os is not ${k.os.join('/')}`;
    }
    if (k.minCores !== undefined && (s.cpu?.cores ?? 0) < k.minCores) return `fewer than ${k.minCores} cores`;
    if (k.minMemoryBytes !== undefined && (s.memory?.totalBytes ?? 0) < k.minMemoryBytes) return 'not enough memory';
    if (k.servers?.length && !k.servers.includes(c.server)) return "not in the job's server list";
  }
  return null;
}

/**
 * Picks the server for a job among the eligible ones: servers that have not run it
 * before first (a retry should not land where it just failed), then by strategy.
 * Loads include this tick's own assignments, so one tick never piles every job onto
 * the server whose (stale) metrics look best.
 */
export function chooseServer(
  job: Job,
  candidates: readonly ServerCandidate[],
  settings: ResolvedFleetSettings,
  options: { avoid?: readonly string[]; roundRobin?: { last: string | null } } = {},
): ServerCandidate | null {
  const eligible = candidates.filter((c) => ineligibility(job, c, settings) === null);
  if (eligible.length === 0) return null;
  const avoid = new Set(options.avoid ?? []);
  const fresh = eligible.filter((c) => !avoid.has(c.server));
  const pool = fresh.length > 0 ? fresh : eligible;
  const free = (c: ServerCandidate) => c.load / Math.max(1, capacityOf(c.status, settings));
  switch (settings.placement.strategy) {
    case 'binpack':
      return best(pool, (c) => -free(c), job.id);
    case 'cpu-aware':
      return best(pool, (c) => (c.status.cpu?.usagePercent ?? 50) / 100 + free(c), job.id);
    case 'round-robin': {
      const rr = options.roundRobin ?? { last: null };
      const sorted = [...pool].sort((a, b) => (a.server < b.server ? -1 : 1));
      const next = sorted.find((c) => rr.last === null || c.server > rr.last) ?? sorted[0]!;
      rr.last = next.server;
      return next;
    }
    default:
      return best(pool, free, job.id);
  }
}

/** Lowest score wins; ties go to a server picked by a hash of the job id, so equal servers share the work. */
function best(pool: readonly ServerCandidate[], score: (c: ServerCandidate) => number, jobId: string): ServerCandidate {
  let winner = pool[0]!;
  let winnerScore = score(winner);
  let winnerTie = tie(jobId, winner.server);
  for (const c of pool.slice(1)) {
    const s = score(c);
    const t = tie(jobId, c.server);
    if (s < winnerScore - 1e-9 || (Math.abs(s - winnerScore) <= 1e-9 && t < winnerTie)) {
      winner = c;
      winnerScore = s;
      winnerTie = t;
    }
  }
  return winner;
}

function tie(a: string, b: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${a}/${b}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}
