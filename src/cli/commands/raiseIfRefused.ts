import { AbortedError, InvalidRecordError, NotFoundError, UsageError } from '../../errors/index.js';
import type { TransactResult } from '../../store/Store.js';

/** Turns an operator transaction that a plan refused into the matching typed error. */
export function raiseIfRefused(result: TransactResult<unknown>): void {
  if (result.status !== 'aborted') return;
  const code = result.code;
  // A plan refused to rewrite a record it could not parse (exit 3).
  if (code === 'invalid-record') throw new InvalidRecordError(result.reason, { hint: 'gitfleet validate lists it with its reason' });
  if (code === 'not-found') throw new NotFoundError(result.reason, { hint: 'see gitfleet job list' });
  if (code === 'unknown-kind') {
    const known = (result.data?.known as string[] | undefined) ?? [];
    throw new UsageError(result.reason, {
      hint: known.length
        ? `kinds the servers run: ${known.join(', ')}`
        : "no server advertises any job kind yet: define jobs.kinds in the agents' gitfleet.config.json",
    });
  }
  if (code === 'bad-dependency') throw new UsageError(result.reason, { hint: 'see gitfleet job list' });
  throw new AbortedError(result.reason);
}
