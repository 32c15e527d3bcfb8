import { EXIT_CODES, GitfleetError } from '../errors/index.js';
import { redact } from '../util/redact.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of `gitfleet doctor`: what was checked, what was found, and how to fix it. */
export interface CheckResult {
  /** Stable name for scripts: "git", "node", "remote.read", ... */
  id: string;
  status: CheckStatus;
  /** One line; never holds a token (URLs are redacted). */
  message: string;
  /** What to do about a warn or fail; null when there is nothing to do. */
  fix: string | null;
  /** For a fail: the exit status the same problem has elsewhere in gitfleet (README "Exit codes"). */
  exitCode?: number;
}

/** Exit status of a failing check that no typed error describes (a setting or version): 2, as for config errors. */
export const EXIT_CHECK_FAILED = 2;

export const ok = (id: string, message: string): CheckResult => ({ id, status: 'ok', message, fix: null });
export const warn = (id: string, message: string, fix: string): CheckResult => ({ id, status: 'warn', message, fix });
export const fail = (id: string, message: string, fix: string, exitCode = EXIT_CHECK_FAILED): CheckResult => ({ id, status: 'fail', message, fix, exitCode });

/** A check that threw: a typed error keeps its message, hint and exit status; anything else is reported redacted. */
export function failFromError(id: string, error: unknown, fallbackFix = 'run the failing command with --log-level debug for details'): CheckResult {
  if (error instanceof GitfleetError) return fail(id, error.message, error.hint ?? fallbackFix, EXIT_CODES[error.code]);
  const text = redact(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return fail(id, text, fallbackFix);
}
