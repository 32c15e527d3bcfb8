import { createHash } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The id of an imported message: a ULID like newId() (so messages sort by time with the
 * rest), but its random part is a hash of the source, so the same note always gets the
 * same id and a second import finds it.
 */
export function importedMessageId(createdAtMs: number, sourceKey: string): string {
  let time = '';
  let t = Math.max(0, Math.floor(createdAtMs));
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const hash = createHash('sha256').update(sourceKey, 'utf8').digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += ALPHABET[hash[i]! % 32];
  return time + random;
}
