import { MAX_RECORD_BYTES, type RecordKind } from '../schema/recordKinds.js';
import { validateRecord } from '../schema/validateRecord.js';
import { parseRecordText, tooLarge, type ParsedFile } from './parseRecordText.js';

export { tooLarge, type ParsedFile } from './parseRecordText.js';

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
  const parsed = parseRecordText(kind, id, text, validateRecord);
  return parsed.ok ? { ...parsed, value: deepFreeze(parsed.value) } : parsed;
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
