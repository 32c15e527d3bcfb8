import { UsageError } from '../errors/index.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `--json=a,b`: only these fields of each object, in the order asked. A list keeps its
 * shape (each element reduced); a single object is reduced itself. A field an object
 * lacks (an optional one) is null, so every element has the same keys. A field no object
 * has and `known` does not list is a typo: UsageError naming the available fields.
 * `known` lists fields a command documents that may be absent from every record shown
 * (optional ones), so selecting them is not an error on an unlucky day.
 */
export function selectFields(value: unknown, fields: readonly string[], known: readonly string[] = []): unknown {
  const objects = Array.isArray(value) ? value.filter(isObject) : isObject(value) ? [value] : [];
  if (objects.length === 0 && known.length === 0) return value;
  const available = new Set(known);
  for (const o of objects) for (const key of Object.keys(o)) available.add(key);
  const unknown = fields.filter((f) => !available.has(f));
  if (unknown.length > 0) {
    throw new UsageError(`unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((f) => JSON.stringify(f)).join(', ')} for --json`, {
      hint: `available fields: ${[...available].sort().join(', ')}`,
    });
  }
  const pick = (o: Json): Json => Object.fromEntries(fields.map((f) => [f, o[f] ?? null]));
  if (Array.isArray(value)) return value.map((v) => (isObject(v) ? pick(v) : v));
  return isObject(value) ? pick(value) : value;
}
