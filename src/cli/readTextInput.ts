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
        throw new UsageError(`the ${what} is larger than ${Math.round(maxBytes / 1024)} KiB`, { hint: 'send a shorter text; put large logs elsewhere and link to them' });
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

/** UTF-8 text, or a clear error for binary data and invalid encodings. */
export function decodeText(bytes: Buffer, what: string): string {
  if (bytes.includes(0)) throw new UsageError(`the ${what} looks binary (it contains NUL bytes)`, { hint: 'messages carry plain text' });
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new UsageError(`the ${what} is not valid UTF-8`, { hint: 'convert it to UTF-8 text first' });
  }
}
