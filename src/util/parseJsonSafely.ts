export interface SafeJsonResult {
  value?: unknown;
  error?: string;
}

/**
 * JSON.parse with the guards that untrusted repository files need: a nesting-depth limit
 * (so a file of ten thousand '[' cannot exhaust the stack of the validator or of any
 * recursive walk after it), and a readable reason instead of an exception. V8 parses JSON
 * without recursion, whatever the depth, so the depth is checked on the parsed value:
 * nodes, not characters (a status record is ~4 KB of text and ~300 values; `status` reads
 * one per server).
 */
export function parseJsonSafely(text: string, maxDepth = 32): SafeJsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `invalid JSON: ${(error as Error).message}` };
  }
  if (deeperThan(value, maxDepth)) return { error: `JSON nested deeper than ${maxDepth} levels` };
  return { value };
}

/** Whether arrays and objects nest more than `limit` levels; never recurses past limit + 1. */
function deeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null && typeof item === 'object' && deeperThan(item, limit - 1)) return true;
    return false;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== null && typeof item === 'object' && deeperThan(item, limit - 1)) return true;
  }
  return false;
}
