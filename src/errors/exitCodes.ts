import type { ErrorCode } from './GitfleetError.js';

/**
 * Exit status for each error code. Documented in README.md ("Exit codes");
 * change both together.
 */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  E_USAGE: 2,
  E_CONFIG: 2,
  E_UNSUPPORTED: 2,
  E_INVALID_RECORD: 3,
  E_SECRET: 3,
  E_AUTH: 4,
  E_UNREACHABLE: 5,
  E_BRANCH_NOT_FOUND: 6,
  E_NOT_FOUND: 6,
  E_CONFLICT: 7,
  E_LOCKED: 7,
  E_ABORTED: 8,
  E_PLAN_FAILED: 9,
  E_CACHE_CORRUPT: 10,
  E_GIT: 11,
};

/** Exit status for an unexpected failure (a bug): 1. */
export const EXIT_INTERNAL = 1;
