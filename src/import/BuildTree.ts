/** A file of a Build-layout tree as the importer sees it: its bytes, or only its size when too large to read. */
export type BuildFile = Uint8Array | { tooLarge: number };

/**
 * A Build-layout tree, read (src/import/readBuildTree.ts) and handed to the pure mapping
 * (parseBuildTree): every path with why it could not be read, the bytes of the files the
 * mapping uses, and the remote's branch names (Build pushes heartbeats to their own branches).
 */
export interface BuildTree {
  /** Every entry of the tree; `unexpected` says why one is not a plain file (a symlink, a gitlink, an unsafe name). */
  entries: { path: string; size: number | null; unexpected?: string }[];
  /** The files the mapping reads (see isBuildSourcePath), by path. */
  files: ReadonlyMap<string, BuildFile>;
  branches: readonly string[];
}

/** Bounds on what the importer reads: a hostile Build tree must not exhaust memory. */
export const BUILD_LIMITS = {
  /** coordination/*.json: shared files that grow with the fleet's history. */
  sharedFileBytes: 8 * 1024 * 1024,
  /** <server>/status.json, <server>/heartbeat.json. */
  serverFileBytes: 64 * 1024,
  /** messages/*.txt: a note becomes one message, whose body is at most 64 KiB. */
  noteBytes: 256 * 1024,
  /** Entries taken from one shared file; the rest are reported, not imported. */
  sharedEntries: 20_000,
  /** Notes read from messages/. */
  notes: 20_000,
} as const;

export const SHARED_FILES = {
  jobs: 'coordination/jobs.json',
  messages: 'coordination/messages.json',
  locks: 'coordination/locks.json',
} as const;

const SERVER_FILE = /^([^/]+)\/(status|heartbeat)\.json$/;
const NOTE = /^messages\/[^/]+\.txt$/;

/** `build1/status.json` -> { folder: 'build1', file: 'status' }, else null. */
export function serverFileOf(path: string): { folder: string; file: 'status' | 'heartbeat' } | null {
  const m = SERVER_FILE.exec(path);
  if (!m || m[1] === 'coordination' || m[1] === 'messages' || m[1] === 'status' || m[1] === 'jobs') return null;
  return { folder: m[1]!, file: m[2] as 'status' | 'heartbeat' };
}

export function isNotePath(path: string): boolean {
  return NOTE.test(path);
}

/** The files the mapping reads, and the most bytes read of each. */
export function sourceLimit(path: string): number | null {
  if (path === SHARED_FILES.jobs || path === SHARED_FILES.messages || path === SHARED_FILES.locks) return BUILD_LIMITS.sharedFileBytes;
  if (serverFileOf(path)) return BUILD_LIMITS.serverFileBytes;
  if (isNotePath(path)) return BUILD_LIMITS.noteBytes;
  return null;
}
