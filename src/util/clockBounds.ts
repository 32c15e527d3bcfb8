/**
 * Times and ids read from the repository (or from a local state file that a damaged
 * disk or a hand edit may have changed) are claims, not facts: anyone who can push can
 * write any date. One rule bounds them by the reader's own clock, so that no such value
 * can move a local watermark or hold off a local decision past "now" plus a small slack.
 *
 * - An instant that says when something happened (updatedAt, createdAt, assignedAt,
 *   startedAt, a message id's time) is believed only up to now + FUTURE_SLACK_MS;
 *   beyond that it is suspect and the caller treats it as unknown.
 * - A deadline that holds something off (retryAt, notBefore, leaseUntil) is honoured only
 *   up to now + the longest wait an honest writer could have set, plus the slack; beyond
 *   that it is not honoured at all (the wait is over), since clamping it would only
 *   postpone the same decision on every tick.
 */

/** How far ahead of this reader's clock another machine's clock may be and still be believed. */
export const FUTURE_SLACK_MS = 5 * 60_000;

/** Milliseconds since the epoch of an ISO time, or null when it is absent or unreadable. */
export function parseTime(text: string | null | undefined): number | null {
  if (typeof text !== 'string') return null;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : null;
}

/** Whether a time lies beyond what this reader believes (now plus the slack). */
export function isBeyondSlack(time: number, now: number, slackMs = FUTURE_SLACK_MS): boolean {
  return time > now + slackMs;
}

/**
 * When something happened, as far as this reader believes: the time itself, or null
 * when it is unreadable or lies beyond now plus the slack (suspect, so unknown).
 */
export function believedPast(time: number | string | null | undefined, now: number, slackMs = FUTURE_SLACK_MS): number | null {
  const t = typeof time === 'number' ? (Number.isFinite(time) ? time : null) : parseTime(time);
  return t === null || isBeyondSlack(t, now, slackMs) ? null : t;
}

/**
 * Whether a deadline read from the repository still holds something off: it lies after
 * now, but no further than `maxAheadMs` (the longest wait an honest writer sets) plus
 * the slack. An unreadable deadline holds nothing off.
 */
export function deadlineHolds(until: string | null | undefined, now: number, maxAheadMs: number, slackMs = FUTURE_SLACK_MS): boolean {
  const t = parseTime(until);
  return t !== null && t > now && t <= now + maxAheadMs + slackMs;
}

/** A number from a local state file, kept only if it is a time not after now plus the slack. */
export function clampLocalTime(time: unknown, now: number, slackMs = FUTURE_SLACK_MS): number | null {
  if (typeof time !== 'number' || !Number.isFinite(time)) return null;
  return isBeyondSlack(time, now, slackMs) ? null : time;
}
