/**
 * Text from the repository is untrusted; printed raw, an escape sequence in a record
 * could rewrite the operator's terminal. Control characters become visible escapes.
 */
export function terminalText(text: unknown, { multiline = false } = {}): string {
  const s = typeof text === 'string' ? text : String(text ?? '');
  const re = multiline ? /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u001f\u007f-\u009f]/g;
  return s.replace(re, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
