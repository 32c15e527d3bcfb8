import type { ResolvedFleetSettings } from '../../../src/settings/fleetSettings.js';
import type { CoordinatorLease, Job, Message, ReadReceipts, ServerStatus } from '../../../src/schema/types.js';
import type { HealthVerdict } from '../../../src/status/evaluateHealth.js';
import type { UptimeView } from '../../../src/status/uptimeView.js';

/** One file of a fleet repository as the page received it: untrusted text. */
export type RecordFiles = Map<string, string>;

/** What a data source delivers: the record files of one commit. */
export interface RawFleet {
  commit: string | null;
  /** When the source produced it (the snapshot's generatedAt, or the fetch time). */
  generatedAt: string;
  files: RecordFiles;
  /** Files the source left out, and why (too large, not text). */
  skipped: { path: string; reason: string }[];
}

export interface ServerView {
  id: string;
  status: ServerStatus;
  verdict: HealthVerdict;
  /** Drained in fleet.json or saying so itself: fleet.json counts at once, even for a dead server. */
  draining: boolean;
  /** Daily availability over 90 days, judged at the same time as the verdict. */
  uptime: UptimeView;
}

export interface InvalidEntry {
  path: string;
  reason: string;
}

/** Everything the components show, derived from one RawFleet. */
export interface FleetData {
  commit: string | null;
  generatedAt: string;
  /** The time health was judged at (ms): the viewer's clock with a live source, else the data's own time. */
  judgedAt: number;
  settings: ResolvedFleetSettings;
  servers: ServerView[];
  jobs: Job[];
  messages: Message[];
  receipts: Map<string, ReadReceipts>;
  coordinator: CoordinatorLease | null;
  invalid: InvalidEntry[];
}
