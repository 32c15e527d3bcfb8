export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 20, capMs: 2_000 };

/**
 * "Full jitter" exponential backoff: a uniformly random wait in [0, min(cap, base·2^n)).
 * Writers that lost the same race spread out instead of retrying in lockstep, which is
 * what collapses the throughput of naive retry loops.
 */
export function backoffDelay(retry: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
