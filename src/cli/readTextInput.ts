import { createReadStream } from 'node:fs';
import { UsageError } from '../errors/index.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads text from a file or stdin ("-"), stopping as soon as it passes `maxBytes` (a
 * 10 MB pipe is refused after reading a little over the limit, not buffered whole), and
 * refuses binary data and invalid UTF-8 with a message that says so.
 */
export async function readTextInput(source: string, what: string, maxBytes: number, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const stream = source === '-' ? stdin : createReadStream(source);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buf.length;
      if (size > maxBytes) {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        throw new UsageError(`the ${what} is larger than ${Math.round(maxBytes / 1024)} KiB`, {
          hint: 'send a shorter text; put large logs elsewhere and link to them',
        });
      }
      chunks.push(buf);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the ${what} from ${source === '-' ? 'stdin' : source} (${code ?? (error as Error).message})`);
  }
  return decodeText(Buffer.concat(chunks), what);
}

/** How long an unasked-for stdin may stay silent before a command goes on without it. */
export const STDIN_GRACE_MS = 1000;

export type PipedInput = { text: string } | { skipped: 'tty' | 'silent' };

/**
 * Stdin that nobody asked for (no "-" on the command line): read it only when it is not
 * a terminal and it starts to speak (data or end of input, as a pipe or file that ends
 * does at once) within `graceMs`. A terminal, or a pipe that stays open and silent (cron,
 * ssh and CI wrappers leave one), is let go: the caller goes on without it and says so,
 * instead of waiting forever for an end that never comes.
 */
export async function readPipedInput(
  what: string,
  maxBytes: number,
  options: {
    graceMs?: number;
    stdin?: NodeJS.ReadableStream & { isTTY?: boolean } /** Called once when stdin has spoken but has not ended within the grace. */;
    onLongRead?: () => void;
  } = {},
): Promise<PipedInput> {
  const stdin = options.stdin ?? process.stdin;
  if (stdin.isTTY) return { skipped: 'tty' };
  const graceMs = options.graceMs ?? STDIN_GRACE_MS;
  if (!(await speaksWithin(stdin, graceMs))) {
    // An open handle on stdin would keep the process alive after the command is done.
    (stdin as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    return { skipped: 'silent' };
  }
  // A producer that spoke but keeps its end open is waited for, never silently.
  const slow = setTimeout(() => options.onLongRead?.(), graceMs);
  try {
    return { text: await readTextInput('-', what, maxBytes, stdin) };
  } finally {
    clearTimeout(slow);
  }
}

// 'end' too: a stream that ended before anyone listened says so with 'end', not 'readable'.
const EVENTS = ['readable', 'end', 'close', 'error'] as const;

/** True once the stream has data, ends or fails (readTextInput then reports it); false after `ms` of silence. */
function speaksWithin(stream: NodeJS.ReadableStream, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (spoke: boolean) => {
      clearTimeout(timer);
      for (const event of EVENTS) stream.off(event, onActivity);
      resolve(spoke);
    };
    const onActivity = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    for (const event of EVENTS) stream.on(event, onActivity);
  });
}

/** UTF-8 text, or a clear error for binary data and invalid encodings. */
export function decodeText(bytes: Buffer, what: string): string {
  if (bytes.includes(0)) throw new UsageError(`the ${what} looks binary (it contains NUL bytes)`, { hint: 'messages carry plain text' });
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new UsageError(`the ${what} is not valid UTF-8`, { hint: 'convert it to UTF-8 text first' });
  }
}
