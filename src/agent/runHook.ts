import { execFile } from 'node:child_process';
import type { Message } from '../schema/types.js';

const PLACEHOLDER = /\{(id|from|to|priority|subject)\}/g;

/**
 * The argv of the hook for a message: the template from this machine's config with
 * {id}, {from}, {to}, {priority} and {subject} replaced. Values lose control characters
 * and are capped; an argument that starts with "-" only because of a value (a subject
 * such as "--help" or "-rf") gets a leading space, so that it can never be taken as an
 * option of the program. The program itself (argv[0]) is never a placeholder's value.
 */
export function hookArgv(argv: readonly string[], message: Message): string[] {
  const values: Record<string, string> = {
    id: message.id,
    from: message.from,
    to: message.to,
    priority: message.priority,
    subject: message.subject,
  };
  return argv.map((part, index) => {
    if (index === 0) return part;
    // eslint-disable-next-line no-control-regex
    const filled = part.replace(PLACEHOLDER, (_, key: string) => (values[key] ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, 500));
    return filled.startsWith('-') && !part.startsWith('-') ? ` ${filled}` : filled;
  });
}

/**
 * Runs the local hook for a critical message. No shell, so nothing in a message can
 * become a command, and no value can become an option (see hookArgv).
 */
export function runMessageHook(argv: readonly string[], message: Message, timeoutMs = 30_000): Promise<{ code: number; error?: string }> {
  const [file, ...rest] = hookArgv(argv, message);
  return new Promise((resolve) => {
    execFile(
      file!,
      rest,
      { timeout: timeoutMs, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', LANG: 'C.UTF-8' } },
      (error) => {
        if (!error) return resolve({ code: 0 });
        resolve({ code: typeof error.code === 'number' ? error.code : -1, error: error.message.split('\n')[0] ?? 'failed' });
      },
    );
  });
}
