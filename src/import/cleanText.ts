// Terminal escape sequences (CSI, OSC) whole, not only their ESC; bidi overrides and zero-width characters.
const ESCAPES = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** One line for a shortText field: escape sequences dropped, controls and line breaks as spaces, runs of space as one, at most `max` characters. */
export function oneLine(text: string, max = 200): string {
  return text
    .replace(ESCAPES, '')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
}

export const MAX_BODY = 65_536;

/** A message body: line breaks as \n, tabs kept, other controls dropped; `truncated` when it was cut to MAX_BODY. */
export function bodyText(text: string): { body: string; truncated: boolean } {
  const clean = text
    .replace(ESCAPES, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/^\n+|\s+$/g, '');
  return clean.length > MAX_BODY ? { body: clean.slice(0, MAX_BODY), truncated: true } : { body: clean, truncated: false };
}

/** Text of a file that should be text: null when it is not UTF-8 or holds NUL bytes (a binary file named .txt). */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\ufeff/, '');
  } catch {
    return null;
  }
}

/** A field from a record of unknown shape: the first of `names` present (dotted names reach into objects). */
export function field(record: unknown, ...names: string[]): unknown {
  for (const name of names) {
    let value: unknown = record;
    for (const part of name.split('.')) {
      value =
        value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, part)
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** A finite number from a number or a numeric string ("45.2", " 8 "), else null. */
export function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*%?\s*$/.test(value)) return Number(value.replace('%', ''));
  return null;
}

/** A string value (numbers as their text), else null. */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
