import { ID_FIELD, MAX_RECORD_BYTES, type RecordKind, type RecordTypes } from '../schema/recordKinds.js';
import { validateRecord } from '../schema/validateRecord.js';
import { parseJsonSafely } from '../util/parseJsonSafely.js';

export type ParsedFile<K extends RecordKind = RecordKind> =
  | { ok: true; kind: K; value: RecordTypes[K] }
  | { ok: false; kind: K; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns the bytes of a repository file into a validated record, or a reason why not.
 * Never throws: files in the repository are untrusted and a bad one must cost a
 * line in a report, not a crash. The id inside must equal the id in the file name.
 */
export function parseRecordFile<K extends RecordKind>(kind: K, id: string | null, content: Uint8Array): ParsedFile<K> {
  const limit = MAX_RECORD_BYTES[kind];
  if (content.byteLength > limit) return tooLarge(kind, content.byteLength);
  let text: string;
  try {
    text = utf8.decode(content);
  } catch {
    return { ok: false, kind, reason: 'not valid UTF-8 text' };
  }
  const parsed = parseJsonSafely(text);
  if (parsed.error !== undefined) return { ok: false, kind, reason: parsed.error };
  const errors = validateRecord(kind, parsed.value);
  if (errors.length > 0) return { ok: false, kind, reason: errors.join('; ') };
  if (kind !== 'fleet' && kind !== 'coordinator' && id !== null) {
    const field = ID_FIELD[kind as Exclude<RecordKind, 'fleet' | 'coordinator'>];
    const inner = (parsed.value as Record<string, unknown>)[field];
    if (inner !== id) {
      return { ok: false, kind, reason: `${field} ${JSON.stringify(inner)} inside does not match the file name (${id})` };
    }
  }
  return { ok: true, kind, value: deepFreeze(parsed.value) as RecordTypes[K] };
}

export function tooLarge<K extends RecordKind>(kind: K, size: number): ParsedFile<K> {
  return {
    ok: false,
    kind,
    reason: `file is ${formatBytes(size)}, larger than the ${formatBytes(MAX_RECORD_BYTES[kind])} a ${kind} record may be`,
  };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} B`;
}

// Parsed records are cached by blob id and shared between snapshots, so they are
// frozen: a plan that edits one in place fails loudly instead of corrupting the cache.
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
