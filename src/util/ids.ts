import { randomBytes } from 'node:crypto';

// Crockford's base32, lowercase so that ids are DNS labels (safe file names).
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let lastTime = -1;
let lastRandom: number[] = [];

/**
 * A 26-character, time-sortable, lowercase ULID. Ids made in the same millisecond
 * by one process stay ordered (the random part is incremented), so a listing sorted
 * by id is sorted by creation time.
 */
export function newId(now: number = Date.now()): string {
  let random: number[];
  if (now === lastTime) {
    random = increment(lastRandom);
  } else {
    random = [...randomBytes(16)].map((b) => b % 32);
  }
  lastTime = now;
  lastRandom = random;
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + random.map((d) => ALPHABET[d]).join('');
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    const digit = next[i] ?? 0;
    if (digit < 31) {
      next[i] = digit + 1;
      return next;
    }
    next[i] = 0;
  }
  return next;
}

/** Milliseconds since the epoch encoded in a ULID made by newId(), or null. */
export function idTime(id: string): number | null {
  if (!/^[0-9a-hjkmnp-tv-z]{26}$/.test(id)) return null;
  let t = 0;
  for (const ch of id.slice(0, 10)) t = t * 32 + ALPHABET.indexOf(ch);
  return t;
}

/** Random lowercase hex, for fencing tokens (claim ids). */
export function randomHex(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}
