/** Times before this are not believed (a counter, a duration or a typo, not a date). */
const EARLIEST_MS = Date.UTC(2000, 0, 1);

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;
const STAMP = /^(\d{4})(\d{2})(\d{2})[-_T]?(\d{2})(\d{2})(\d{2})(Z)?$/;
const RFC2822 = /^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s*(?:[+-]\d{4}|GMT|UTC|Z)?$/;

/**
 * A Build time as RFC 3339 UTC, or null. Build wrote times several ways: epoch seconds
 * (numbers or numeric strings; milliseconds too), ISO 8601 with or without a zone (no
 * zone: taken as UTC, which is what Build's `date -u` wrote), "YYYY-MM-DD HH:MM:SS",
 * file-name stamps (20251029-123000) and mail-style dates. Anything else is null: the
 * caller reports it instead of guessing.
 */
export function normaliseTime(value: unknown): string | null {
  const ms = toMillis(value);
  if (ms === null || !Number.isFinite(ms) || ms < EARLIEST_MS || ms > 8.64e15) return null;
  return new Date(ms).toISOString();
}

function toMillis(value: unknown): number | null {
  if (typeof value === 'number') return epoch(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length === 0 || text.length > 64) return null;
  if (/^\d+(\.\d+)?$/.test(text)) return epoch(Number(text));
  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = iso;
    const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.slice(0, 3).padEnd(3, '0')));
    if (!sameFields(base, Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s))) return null;
    return base - offsetMinutes(zone) * 60_000;
  }
  const stamp = STAMP.exec(text);
  if (stamp) {
    const [, y, mo, d, h, mi, s] = stamp.map(Number) as number[];
    const base = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
    return sameFields(base, y!, mo!, d!, h!, mi!, s!) ? base : null;
  }
  if (RFC2822.test(text)) {
    const parsed = Date.parse(text);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

/** Epoch seconds, or milliseconds when the number is too large to be seconds of this era. */
function epoch(n: number): number | null {
  if (!Number.isFinite(n) || n <= 0) return null;
  return n >= 1e11 ? Math.round(n) : Math.round(n * 1000);
}

function offsetMinutes(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

// Date.UTC rolls 2025-02-31 over into March: such a date is not a date.
function sameFields(ms: number, y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  const t = new Date(ms);
  return (
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === s
  );
}
