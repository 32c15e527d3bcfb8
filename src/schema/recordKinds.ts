import type { CoordinatorLease, FleetSettings, Job, Message, ReadReceipts, ServerStatus, WebhookNotifications } from './types.js';

/** The kinds of record a fleet repository holds, and the type of each. */
export interface RecordTypes {
  fleet: FleetSettings;
  status: ServerStatus;
  job: Job;
  message: Message;
  receipts: ReadReceipts;
  notifications: WebhookNotifications;
  coordinator: CoordinatorLease;
}
export type RecordKind = keyof RecordTypes;
export const RECORD_KINDS: readonly RecordKind[] = ['fleet', 'status', 'job', 'message', 'receipts', 'notifications', 'coordinator'];

/**
 * Largest file accepted for each kind, in bytes. Checked before a file is read, so a
 * huge file in the repository costs nothing but a line in the list of invalid files.
 */
export const MAX_RECORD_BYTES: Readonly<Record<RecordKind, number>> = {
  fleet: 64 * 1024,
  status: 16 * 1024,
  job: 128 * 1024,
  // A 65,536-character body is at most 192 KiB of UTF-8.
  message: 256 * 1024,
  receipts: 2 * 1024 * 1024,
  notifications: 1024 * 1024,
  coordinator: 16 * 1024,
};

/** The property that must equal the id in the file name. */
export const ID_FIELD: Readonly<Record<Exclude<RecordKind, 'fleet' | 'coordinator'>, string>> = {
  status: 'server',
  job: 'id',
  message: 'id',
  receipts: 'server',
  notifications: 'webhook',
};

export const SCHEMA_VERSION = 1;
