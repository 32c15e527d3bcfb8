import { ID_FIELD, MAX_RECORD_BYTES, type RecordKind, type RecordTypes } from '../schema/recordKinds.js';
import { parseJsonSafely } from '../util/parseJsonSafely.js';

export type ParsedFile<K extends RecordKind = RecordKind> = { ok: true; kind: K; value: RecordTypes[K] } | { ok: false; kind: K; reason: string };

/** Checks a parsed value against its kind's schema: the problems, or an empty list. */
export type RecordValidator = (kind: RecordKind, value: unknown) => string[];

/**
 * The checks after decoding, with the validator passed in: the dashboard runs them in
 * the browser with validators compiled ahead of time (no eval under its CSP).
 */
export function parseRecordText<K extends RecordKind>(kind: K, id: string | null, text: string, validate: RecordValidator): ParsedFile<K> {
  if (text.length > MAX_RECORD_BYTES[kind]) return tooLarge(kind, text.length);
  const parsed = parseJsonSafely(text);
  if (parsed.error !== undefined) return { ok: false, kind, reason: parsed.error };
  const errors = validate(kind, parsed.value);
  if (errors.length > 0) return { ok: false, kind, reason: errors.join('; ') };
  if (kind !== 'fleet' && kind !== 'coordinator' && id !== null) {
    const field = ID_FIELD[kind as Exclude<RecordKind, 'fleet' | 'coordinator'>];
    const inner = (parsed.value as Record<string, unknown>)[field];
    if (inner !== id) {
      return { ok: false, kind, reason: `${field} ${JSON.stringify(inner)} inside does not match the file name (${id})` };
    }
  }
  return { ok: true, kind, value: parsed.value as RecordTypes[K] };
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
