export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 25, capMs: 15_000 };

/**
 * "Full jitter" exponential backoff: a uniformly random wait in [0, min(cap, slot·2^n)).
 * Writers that lost the same race spread out instead of retrying in lockstep, which is
 * what collapses the throughput of naive retry loops.
 *
 * The slot is the larger of `baseMs` and how long the attempt that just lost took
 * (`attemptMs`): on a loaded server an attempt takes far longer than on an idle one,
 * and a window narrower than one attempt only buys another collision.
 */
export function backoffDelay(
  retry: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  attemptMs = 0,
  random: () => number = Math.random,
): number {
  const slot = Math.max(options.baseMs, attemptMs);
  const ceiling = Math.min(options.capMs, slot * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
