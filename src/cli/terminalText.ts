import type { CliIo } from './CliIo.js';

/**
 * Characters that change what a terminal shows rather than show themselves: C0 and C1
 * controls and DEL (escape sequences, carriage returns that overwrite a line), bidi
 * embeddings, overrides and isolates (text that reads in another order than it is
 * stored), zero-width and invisible formatting characters (text that hides in plain
 * sight), and line and paragraph separators (a fake line break).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Text from the repository is untrusted; printed raw, an escape sequence in a record
 * could rewrite the operator's terminal, a newline could forge a line of `log`, a bidi
 * override could make a name read backwards. Every such character becomes a visible
 * `\uXXXX` escape. One line unless `multiline` (which keeps newlines and tabs).
 * This is the one sanitiser of terminal output: fields go through it where they are
 * formatted (so a newline cannot split a line), and all CLI output again (terminalIo).
 */
export function terminalText(text: unknown, { multiline = false } = {}): string {
  const s = typeof text === 'string' ? text : String(text ?? '');
  return s.replace(multiline ? UNSAFE_MULTILINE : UNSAFE, escape);
}

/**
 * The CLI's output streams with every write sanitised (newlines and tabs kept). Also
 * right for --json output: JSON.stringify leaves C1, bidi and zero-width characters
 * raw inside strings, and their `\uXXXX` escapes are the same JSON value.
 */
export function terminalIo(io: CliIo): CliIo {
  return {
    out: (text) => io.out(terminalText(text, { multiline: true })),
    err: (text) => io.err(terminalText(text, { multiline: true })),
    get isTty() {
      return io.isTty;
    },
  };
}
