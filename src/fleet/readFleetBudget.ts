import { projectBudget, type BudgetProjection } from '../settings/budgetProjection.js';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import { measureRates } from '../settings/measureRates.js';
import { readFleetRecord } from '../settings/readFleetRecord.js';
import type { Store } from '../store/Store.js';

/** How far back `gitfleet budget` measures job and message pushes. */
export const RATE_WINDOW_MS = 60 * 60_000;
/** At most this many commits are read from that hour (a busier hour is counted as this many). */
const MAX_COMMITS = 20_000;

export interface FleetBudgetOptions {
  remoteUrl: string;
  now?: number;
  agentPollSeconds?: number;
  coordinators?: number;
}

export interface FleetBudget extends BudgetProjection {
  servers: number;
  head: string;
  /** Commits on the branch in the measured window (every kind), for comparison with the projection. */
  measuredPushesPerMinute: number;
}

/**
 * The fleet's budget as it is: its settings and servers from the head, its job and
 * message rates from the last hour of history (store.log), projected writer by writer.
 * A server's announced period counts only when it is a plausible number of seconds.
 */
export async function readFleetBudget(store: Store, options: FleetBudgetOptions): Promise<FleetBudget> {
  const now = options.now ?? Date.now();
  const snapshot = await store.snapshot();
  const record = await readFleetRecord(snapshot);
  const settings = resolveFleetSettings(record.state === 'valid' ? record.fleet : null, options.remoteUrl);
  const { records } = await snapshot.list('status');
  const servers = records.map((s) => {
    const p = s.heartbeat?.periodSeconds;
    return { periodSeconds: typeof p === 'number' && Number.isFinite(p) && p >= 1 && p <= 86_400 ? p : undefined };
  });
  const commits = await store.log({ from: snapshot.commit!, since: new Date(now - RATE_WINDOW_MS), limit: MAX_COMMITS });
  const measured = measureRates(commits, now, RATE_WINDOW_MS);
  const total = commits.filter((c) => c.time > now - RATE_WINDOW_MS && c.time <= now + 60_000).length;
  const projection = projectBudget({ settings, servers, measured, agentPollSeconds: options.agentPollSeconds, coordinators: options.coordinators });
  return {
    ...projection,
    servers: servers.length,
    head: snapshot.commit!,
    measuredPushesPerMinute: Math.round((total / (RATE_WINDOW_MS / 60_000)) * 100) / 100,
  };
}
