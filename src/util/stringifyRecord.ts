/**
 * Serialises a record the way gitfleet commits it: two-space indentation for objects,
 * but arrays of scalars (and arrays of such arrays, like a status history) on one line
 * each, which keeps status records small and their diffs readable. Keys keep the
 * order the code built them in. Ends with a newline.
 */
export function stringifyRecord(value: unknown): string {
  return `${render(value, '')}\n`;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function isFlat(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => isScalar(item) || (Array.isArray(item) && item.every(isScalar)));
}

function render(value: unknown, indent: string): string {
  if (isScalar(value)) return JSON.stringify(value) ?? 'null';
  if (isFlat(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + render(item, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner)}`).join(',\n')}\n${indent}}`;
}
