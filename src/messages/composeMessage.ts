import { InvalidRecordError, SecretDetectedError, UsageError } from '../errors/index.js';
import type { Message, Priority } from '../schema/types.js';
import { isValidId } from '../store/recordPaths.js';
import { newId } from '../util/ids.js';
import { scanForSecrets } from './secretScanner.js';

export const MAX_BODY_CHARS = 65_536;
export const MAX_SUBJECT_CHARS = 200;
export type MessageType = Message['type'];

export interface ComposeInput {
  from: string;
  to: string;
  subject: string;
  body?: string;
  priority?: Priority;
  type?: MessageType;
  tags?: string[];
  /** Milliseconds from now after which the message expires (and is archived). */
  expiresInMs?: number;
  /** The message this one answers (it sets the thread). */
  replyTo?: Message;
  /** Send even though the secret guard found something (recorded in the message). */
  allowSecret?: boolean;
  now?: number;
}

const RECIPIENT = /^(all|label:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?|op:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$/;
const TAG = /^[a-z0-9][a-z0-9._-]{0,31}$/;

/**
 * Builds a message from what a person or program typed, with an error that says
 * exactly what is wrong when it cannot be sent: the recipient's form, the subject's
 * length or control characters, the body's size or characters, a tag, a secret.
 * Pure: nothing is read or written.
 */
export function composeMessage(input: ComposeInput): Message {
  const now = input.now ?? Date.now();
  if (!RECIPIENT.test(input.to)) {
    throw new UsageError(`recipient ${JSON.stringify(input.to.slice(0, 80))} is not valid`, { hint: 'use a server id, label:<name>, all or op:<name>' });
  }
  const subject = input.subject.trim();
  if (subject === '') throw new UsageError('the subject is empty', { hint: 'pass --subject' });
  if (subject.length > MAX_SUBJECT_CHARS) throw new UsageError(`the subject is ${subject.length} characters; at most ${MAX_SUBJECT_CHARS}`);
  const control = /[\u0000-\u001f\u007f]/.exec(subject);
  if (control)
    throw new UsageError(
      `the subject contains a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')} at position ${control.index + 1})`,
      { hint: 'keep the subject to one line of text' },
    );
  const body = input.body ?? '';
  if (body.length > MAX_BODY_CHARS)
    throw new UsageError(`the body is ${formatSize(Buffer.byteLength(body))}; at most ${MAX_BODY_CHARS / 1024} KiB of text`, {
      hint: 'attach large logs elsewhere and link to them',
    });
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(body);
  if (bad) {
    const line = body.slice(0, bad.index).split('\n').length;
    throw new UsageError(`the body contains a control character (U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} on line ${line})`, {
      hint: 'the body must be plain text',
    });
  }
  for (const tag of input.tags ?? []) {
    if (!TAG.test(tag))
      throw new UsageError(`tag ${JSON.stringify(tag.slice(0, 40))} is not valid`, {
        hint: 'tags are lowercase letters, digits, ".", "_" and "-", up to 32 characters',
      });
  }
  if ((input.tags?.length ?? 0) > 16) throw new UsageError('at most 16 tags');
  const findings = [
    ...scanForSecrets(subject).map((f) => ({ ...f, where: 'subject' })),
    ...scanForSecrets(body).map((f) => ({ ...f, where: `body line ${f.line}` })),
  ];
  if (findings.length > 0 && !input.allowSecret) {
    const first = findings[0]!;
    throw new SecretDetectedError(
      `refusing to send: ${first.where} looks like a ${first.kind} (${first.masked})${findings.length > 1 ? ` and ${findings.length - 1} more` : ''}`,
      {
        hint: 'remove it, or pass --allow-secret if you are sure',
        data: { findings },
      },
    );
  }
  if (input.replyTo && !isValidId(input.replyTo.id)) throw new InvalidRecordError('the message replied to has an invalid id');
  const id = newId(now);
  const message: Message = {
    schemaVersion: 1,
    id,
    from: input.from,
    to: input.to,
    priority: input.priority ?? 'normal',
    type: input.type ?? (input.replyTo ? 'response' : 'info'),
    subject,
    ...(body ? { body } : {}),
    createdAt: new Date(now).toISOString(),
    ...(input.expiresInMs !== undefined ? { expiresAt: new Date(now + input.expiresInMs).toISOString() } : {}),
    ...(input.replyTo ? { replyTo: input.replyTo.id } : {}),
    thread: input.replyTo ? input.replyTo.thread : id,
    ...(input.tags?.length ? { tags: [...new Set(input.tags)] } : {}),
    ...(findings.length > 0 ? { secretOverride: true } : {}),
  };
  return message;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KiB`;
}
