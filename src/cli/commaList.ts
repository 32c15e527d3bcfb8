/**
 * yargs `coerce` for a filter flag that takes several values: `--state a,b` reads like
 * `--state a --state b` (and the two mix). yargs checks `choices` after coercing, so each
 * value is still checked. Empty items (`a,,b`, a trailing comma) are dropped.
 */
export function commaList(values: unknown): string[] {
  const list = Array.isArray(values) ? values : [values];
  return list
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}
