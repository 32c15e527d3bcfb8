import type { EventLevels } from '../util/TypedEvents.js';

/** What a store says happened: `store.events.on(...)` in tests, the logger in processes. */
export type StoreEvents = {
  /** A transaction ended (committed, unchanged, aborted or queued). */
  'txn.done': { label: string; status: string; attempts: number; ms: number };
  /** A push lost the race; the plan runs again on the new head after `waitMs`. */
  'txn.rejected': { label: string; attempt: number; waitMs: number; level: number };
  'txn.push': { label: string; attempt: number; outcome: string; ms: number };
  'txn.fetch': { ms: number };
  /** The remote could not be reached; the transaction tries again after `waitMs`. */
  'txn.network-retry': { label: string; reason: string; waitMs: number };
  /** The remote stayed unreachable: the change waits in the outbox. */
  'outbox.queued': { label: string; key: string };
  /** The local cache was damaged and is rebuilt from the remote (once per transaction or read). */
  'cache.recover': { reason: string };
};

export const STORE_EVENT_LEVELS: EventLevels<StoreEvents> = {
  'txn.done': 'debug',
  'txn.rejected': 'debug',
  'txn.push': 'debug',
  'txn.fetch': 'debug',
  'txn.network-retry': 'debug',
  'outbox.queued': 'debug',
  'cache.recover': 'warn',
};
