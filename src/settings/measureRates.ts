import type { MeasuredRates } from './budgetProjection.js';

/** What measureRates needs of a commit (the shape store.log returns). */
export interface RateCommit {
  /** Milliseconds since the epoch. */
  time: number;
  files: readonly { path: string }[];
}

/**
 * Job-transition and message pushes a minute over the `windowMs` before `now`, from the
 * branch's history: a commit that touched jobs/ counts as a job transition, one that
 * touched messages/ (messages, receipts, notifications) as a message; a commit doing both
 * counts once for each, as either would have been pushed alone. Heartbeats and lease
 * renewals are projected from the settings instead, so they are not counted here.
 * Commit times come from the repository: one from the future is bounded by `now`.
 */
export function measureRates(commits: readonly RateCommit[], now: number, windowMs: number): MeasuredRates {
  let jobs = 0;
  let messages = 0;
  for (const c of commits) {
    if (!Number.isFinite(c.time) || c.time <= now - windowMs || c.time > now + 60_000) continue;
    if (c.files.some((f) => f.path.startsWith('jobs/'))) jobs++;
    if (c.files.some((f) => f.path.startsWith('messages/'))) messages++;
  }
  const minutes = windowMs / 60_000;
  return { windowMinutes: minutes, jobs: jobs / minutes, messages: messages / minutes };
}
