import { UsageError } from '../errors/index.js';
import { parseTimeArg } from '../util/parseTimeArg.js';

/** A `--since` flag: undefined when absent, a usage error when it is not a time. */
export function sinceArg(value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const since = parseTimeArg(String(value));
  if (since === null) throw new UsageError(`--since ${JSON.stringify(String(value).slice(0, 80))} is not a time`, { hint: 'e.g. 2h, 7d or 2026-11-01' });
  return since;
}
