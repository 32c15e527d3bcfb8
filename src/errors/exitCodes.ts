import type { ErrorCode } from './GitfleetError.js';

/**
 * Exit status for each error code. The table in README.md ("Exit codes") and in
 * `gitfleet --help` is generated from this and EXIT_MEANINGS (tests/lint/exitCodeTable.test.ts
 * fails when the README drifts; `npm run gen:exit-codes` rewrites it).
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

/** What each exit status means: a short label for --help, and the README's sentence. */
export const EXIT_MEANINGS: Readonly<Record<number, { short: string; long: string }>> = {
  0: { short: 'ok', long: 'success' },
  [EXIT_INTERNAL]: { short: 'internal error, a bug', long: 'unexpected internal error (a bug)' },
  2: { short: 'usage or config', long: 'usage or configuration error (bad flag, bad config file, unsupported backend)' },
  3: {
    short: 'invalid records',
    long: 'invalid record (`validate` found some, or a write was refused), or a message that looks like it contains a credential',
  },
  4: { short: 'auth refused', long: 'authentication refused' },
  5: { short: 'unreachable', long: 'remote unreachable (network, DNS, server down, wrong URL)' },
  6: { short: 'not found', long: 'not found (no fleet branch yet: run `gitfleet init`; or no such record)' },
  7: { short: 'conflict or locked', long: 'conflict: a transaction kept losing the race until its deadline, or the local cache stayed locked' },
  8: { short: 'aborted', long: "aborted: the operation's precondition failed (e.g. already claimed, a job already finished)" },
  9: { short: 'plan failed', long: "a transaction's plan failed (a bug); nothing was written" },
  10: { short: 'damaged cache', long: 'the local git cache is damaged and could not be rebuilt' },
  11: { short: 'git failed', long: 'git failed in an unrecognised way (its message is shown)' },
};

/** Each exit status in order, with the error codes (as `--json` prints them) that lead to it. */
function rows(): { status: number; codes: string[]; short: string; long: string }[] {
  const statuses = [...new Set([0, EXIT_INTERNAL, ...Object.values(EXIT_CODES)])].sort((a, b) => a - b);
  return statuses.map((status) => {
    const meaning = EXIT_MEANINGS[status];
    if (!meaning) throw new Error(`exit status ${status} has no entry in EXIT_MEANINGS`);
    // An unexpected error has no ErrorCode; --json reports it as E_INTERNAL.
    const codes = status === EXIT_INTERNAL ? ['E_INTERNAL'] : (Object.keys(EXIT_CODES) as ErrorCode[]).filter((code) => EXIT_CODES[code] === status);
    return { status, codes, ...meaning };
  });
}

/** The README's table (between the exit-codes markers). */
export function exitCodeMarkdown(): string {
  const lines = ['| exit | error code (`--json`) | meaning |', '| --- | --- | --- |'];
  for (const r of rows()) lines.push(`| ${r.status} | ${r.codes.map((c) => `\`${c}\``).join(', ') || '—'} | ${r.long} |`);
  return lines.join('\n');
}

/** The table at the end of `gitfleet --help`: one status per line. */
export function exitCodeHelp(): string {
  const lines = ['Exit codes:'];
  for (const r of rows()) lines.push(`  ${String(r.status).padStart(2)}  ${r.short}${r.codes.length > 0 ? ` (${r.codes.join(', ')})` : ''}`);
  return lines.join('\n');
}
