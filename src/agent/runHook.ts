import { execFile } from 'node:child_process';
import type { Message } from '../schema/types.js';

/**
 * Runs the local hook for a critical message: an argv from this machine's config with
 * {id}, {from}, {to}, {priority} and {subject} replaced. No shell, so nothing in a
 * message can become a command; values lose control characters and are capped.
 */
export function runMessageHook(argv: readonly string[], message: Message, timeoutMs = 30_000): Promise<{ code: number; error?: string }> {
  const values: Record<string, string> = {
    id: message.id,
    from: message.from,
    to: message.to,
    priority: message.priority,
    subject: message.subject,
  };
  const args = argv.map((part) => part.replace(/\{(id|from|to|priority|subject)\}/g, (_, key: string) => (values[key] ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 500)));
  const [file, ...rest] = args;
  return new Promise((resolve) => {
    execFile(file!, rest, { timeout: timeoutMs, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', LANG: 'C.UTF-8' } }, (error) => {
      if (!error) return resolve({ code: 0 });
      resolve({ code: typeof error.code === 'number' ? error.code : -1, error: error.message.split('\n')[0] ?? 'failed' });
    });
  });
}
