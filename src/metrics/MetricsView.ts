import type { Job, Message, ReadReceipts, ServerStatus } from '../schema/types.js';
import type { Snapshot } from '../store/Snapshot.js';
import { fleetOverview, type ServerRow } from '../status/fleetOverview.js';

/**
 * What the metrics are computed from: the fleet at one commit and the time they describe.
 * Health depends on the time (a server that stopped reporting makes no commit), so /metrics
 * reads a view for every scrape; the records themselves come from the store's cache.
 */
export interface MetricsView {
  commit: string | null;
  /** Unix ms the ages and windows are measured at. */
  now: number;
  /** One row per server as `gitfleet status` shows it (invalid status files included). */
  rows: ServerRow[];
  /** The valid status records, by server id. */
  statuses: ReadonlyMap<string, ServerStatus>;
  /** Live jobs (jobs/, not the archive). */
  jobs: readonly Job[];
  /** Live messages (messages/, not the archive). */
  messages: readonly Message[];
  /** Receipts by reader (a server id, or op:<name>). */
  receipts: ReadonlyMap<string, ReadReceipts>;
  /** Files of the repository that are invalid or unexpected. */
  invalidFiles: number;
}

/** Reads the view from a snapshot at the time `now`. */
export async function readMetricsView(snapshot: Snapshot, remoteUrl: string, now: number): Promise<MetricsView> {
  const [overview, status, jobs, messages, receipts, contents] = await Promise.all([
    fleetOverview(snapshot, remoteUrl, { now }),
    snapshot.list('status'),
    snapshot.list('job'),
    snapshot.list('message'),
    snapshot.list('receipts'),
    snapshot.read({ archives: false }),
  ]);
  return {
    commit: snapshot.commit,
    now,
    rows: overview.rows,
    statuses: new Map(status.records.map((s) => [s.server, s])),
    jobs: jobs.records,
    messages: messages.records,
    receipts: new Map(receipts.records.map((r) => [r.server, r])),
    invalidFiles: contents.invalid.length,
  };
}
