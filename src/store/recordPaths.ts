import { InvalidRecordError } from '../errors/index.js';
import type { RecordKind } from '../schema/recordKinds.js';
import { fnv1a } from '../util/fnv1a.js';

const ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/**
 * An operator's receipts (reader id op:<name>) live in messages/receipts/op.<name>.json:
 * a dot is never part of a DNS label, so the file can never be a server's.
 */
const OPERATOR_PREFIX = 'op:';
const OPERATOR_FILE_PREFIX = 'op.';
/** Files that may sit in the record folders without being records. */
const DOC_FILES = new Set(['README.md', '.gitkeep']);
/** Top-level entries that hold fleet data; everything else in the repository is not ours to judge. */
export const RECORD_ROOTS = ['fleet.json', 'coordinator.json', 'status', 'messages', 'jobs'] as const;

export type PathClass =
  | { type: 'record'; kind: RecordKind; id: string | null; month?: string; sharded?: true }
  | { type: 'ignored' }
  | { type: 'unexpected'; reason: string };

/** How an archived record's path is built: the month, and whether below it a shard folder. */
export type ArchiveOptions = { archiveMonth?: string; sharded?: boolean };

/**
 * Archives that say they are sharded (layout 2) carry this file: README.md is a doc file every
 * gitfleet version ignores, so its presence is the switch without touching fleet.json (whose
 * schema older readers enforce strictly: a new field there would make them drop the whole file).
 */
export const ARCHIVE_LAYOUT_MARKERS = { job: 'jobs/archive/README.md', message: 'messages/archive/README.md' } as const;
const SHARD = /^[0-9a-f]{2}$/;

export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id);
}

/** Throws a clear error unless `id` is a DNS label, the only form a path is built from. */
export function assertValidId(id: unknown, what = 'id'): asserts id is string {
  if (!isValidId(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}...` : id) : String(id);
    throw new InvalidRecordError(`${what} ${shown} is not valid`, {
      hint: 'use a DNS label: lowercase letters, digits and inner hyphens, 1 to 63 characters',
      data: { id },
    });
  }
}

/**
 * Where a record lives. Paths are only ever built here, and only from validated ids,
 * so no record can be written outside its folder.
 */
export function recordPath(kind: RecordKind, id?: string, options: ArchiveOptions = {}): string {
  if (kind === 'fleet') return 'fleet.json';
  if (kind === 'coordinator') return 'coordinator.json';
  if (kind === 'receipts' && typeof id === 'string' && id.startsWith(OPERATOR_PREFIX)) {
    const name = id.slice(OPERATOR_PREFIX.length);
    assertValidId(name, 'operator name');
    return `messages/receipts/${OPERATOR_FILE_PREFIX}${name}.json`;
  }
  assertValidId(id, kind === 'status' || kind === 'receipts' ? 'server id' : kind === 'notifications' ? 'webhook id' : `${kind} id`);
  switch (kind) {
    case 'status':
      return `status/${id}.json`;
    case 'job':
      return options.archiveMonth === undefined ? `jobs/${id}.json` : `jobs/archive/${archiveFolder(options.archiveMonth, id, options.sharded)}/${id}.json`;
    case 'receipts':
      return `messages/receipts/${id}.json`;
    case 'notifications':
      return `messages/notifications/${id}.json`;
    case 'message':
      return options.archiveMonth === undefined
        ? `messages/${id}.json`
        : `messages/archive/${archiveFolder(options.archiveMonth, id, options.sharded)}/${id}.json`;
  }
}

function archiveFolder(month: string, id: string, sharded = false): string {
  return sharded ? `${archiveMonth(month)}/${shardOf(id)}` : archiveMonth(month);
}

/**
 * The shard of an archived id: the first byte of its FNV-1a hash, as two hex digits (256
 * folders a month). Ids are time-sortable, so a prefix of the id itself would put a whole
 * month in a handful of folders; a hash spreads them evenly, and FNV needs no crypto module
 * (the dashboard bundles this file). 3,000 x 256 = 768,000 archived records a month per kind.
 */
export function shardOf(id: string): string {
  return (fnv1a(id) >>> 24).toString(16).padStart(2, '0');
}

function archiveMonth(month: string): string {
  if (!MONTH.test(month)) throw new InvalidRecordError(`archive month ${JSON.stringify(month)} is not YYYY-MM`);
  return month;
}

/** Says what a path in the repository is: a record (and of which kind), ignorable, or unexpected. */
export function classifyPath(path: string): PathClass {
  if (path === 'fleet.json') return { type: 'record', kind: 'fleet', id: null };
  if (path === 'coordinator.json') return { type: 'record', kind: 'coordinator', id: null };
  const parts = path.split('/');
  const top = parts[0];
  if (top === 'fleet.json' || top === 'coordinator.json') return { type: 'unexpected', reason: `${top} is a folder, not a file` };
  if (top !== 'status' && top !== 'jobs' && top !== 'messages') return { type: 'ignored' };
  const name = parts[parts.length - 1] ?? '';
  const folder = parts.slice(0, -1).join('/');
  const recordFolder = folderKind(folder);
  if (recordFolder === null) return { type: 'unexpected', reason: `${folder}/ is not a record folder` };
  if (DOC_FILES.has(name)) return { type: 'ignored' };
  if (recordFolder === 'none') return { type: 'unexpected', reason: `${folder}/ holds only folders` };
  if (!name.endsWith('.json')) return { type: 'unexpected', reason: 'records are .json files' };
  const id = name.slice(0, -'.json'.length);
  if (recordFolder === 'receipts' && id.startsWith(OPERATOR_FILE_PREFIX)) {
    const operator = id.slice(OPERATOR_FILE_PREFIX.length);
    if (ID.test(operator)) return { type: 'record', kind: 'receipts', id: `${OPERATOR_PREFIX}${operator}` };
    return { type: 'unexpected', reason: 'the file name is not op.<operator name> with a valid name (a DNS label)' };
  }
  if (!ID.test(id)) return { type: 'unexpected', reason: 'the file name is not a valid id (a DNS label)' };
  const month = (parts[0] === 'messages' || parts[0] === 'jobs') && parts[1] === 'archive' ? parts[2] : undefined;
  if (month === undefined) return { type: 'record', kind: recordFolder, id };
  if (parts.length === 4) return { type: 'record', kind: recordFolder, id, month };
  // A sharded archive: the shard folder must be the id's own, so one id has one place.
  if (parts[3] !== shardOf(id)) return { type: 'unexpected', reason: `${id}.json belongs in shard ${shardOf(id)}/, not ${parts[3]}/` };
  return { type: 'record', kind: recordFolder, id, month, sharded: true };
}

/**
 * The id of a live record of `kind` at `path` (not an archived one), or undefined: the one
 * way readers turn a listed path into an id, so a hand-pushed file whose name is not a
 * valid id is never mistaken for a record (and never reaches a lookup that refuses it).
 */
export function liveRecordId(path: string, kind: RecordKind): string | undefined {
  const c = classifyPath(path);
  return c.type === 'record' && c.kind === kind && c.month === undefined && c.id !== null ? c.id : undefined;
}

function folderKind(folder: string): RecordKind | 'none' | null {
  if (folder === 'status') return 'status';
  if (folder === 'jobs') return 'job';
  if (folder === 'jobs/archive') return 'none';
  const j = /^jobs\/archive\/([^/]+)(?:\/([^/]+))?$/.exec(folder);
  if (j && MONTH.test(j[1] ?? '') && (j[2] === undefined || SHARD.test(j[2]))) return 'job';
  if (folder === 'messages') return 'message';
  if (folder === 'messages/receipts') return 'receipts';
  if (folder === 'messages/notifications') return 'notifications';
  if (folder === 'messages/archive') return 'none';
  const m = /^messages\/archive\/([^/]+)(?:\/([^/]+))?$/.exec(folder);
  if (m && MONTH.test(m[1] ?? '') && (m[2] === undefined || SHARD.test(m[2]))) return 'message';
  return null;
}
