import { parseDuration } from './duration.js';

/**
 * A point in time given on the command line: a duration back from now ("7d", "90m")
 * or an ISO 8601 date ("2026-11-01", "2026-11-01T10:00:00Z"). Null when neither.
 */
export function parseTimeArg(text: string, now = Date.now()): Date | null {
  const ms = parseDuration(text);
  if (ms !== null) return new Date(now - ms);
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) return null;
  const date = new Date(text.trim());
  return Number.isNaN(date.getTime()) ? null : date;
}
