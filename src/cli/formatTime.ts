import { formatDuration } from '../util/duration.js';

/**
 * A time in CLI text: a relative age ("5m ago", "in 2h"), or with --iso the ISO 8601 UTC
 * time. One style everywhere in text; --json always carries the ISO time of the record.
 */
export function formatTime(time: string | number | null | undefined, iso: boolean, now = Date.now()): string {
  if (time === null || time === undefined || time === '') return '-';
  const ms = typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) return String(time);
  if (iso) return new Date(ms).toISOString();
  const delta = now - ms;
  return delta >= 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
}
