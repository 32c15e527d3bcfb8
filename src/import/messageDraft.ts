import { scanForSecrets } from '../messages/secretScanner.js';
import type { Message } from '../schema/types.js';
import type { BuildActors } from './buildActors.js';
import { bodyText, oneLine } from './cleanText.js';
import { importedMessageId } from './importedMessageId.js';
import type { Parsed } from './parseBuildStatus.js';

/** What a Build message said, before it becomes a gitfleet message (from JSON or from a note). */
export interface MessageDraft {
  /** The source as the report names it, and the key the record keeps (`imported.key`). */
  key: string;
  from?: string;
  to?: string;
  subject?: string;
  body?: string;
  /** RFC 3339, or undefined when the source gave none that could be read. */
  createdAt?: string;
  type?: string;
  priority?: string;
  /** The Build id, when the source had one. */
  originalId?: string;
  notes: string[];
}

const TYPES = new Set(['info', 'warning', 'error', 'request', 'response', 'heartbeat']);
const TYPE_ALIASES: Record<string, Message['type']> = {
  warn: 'warning',
  alert: 'warning',
  question: 'request',
  task: 'request',
  reply: 'response',
  ack: 'response',
};
const PRIORITIES: Record<string, Message['priority']> = {
  critical: 'critical',
  urgent: 'critical',
  high: 'high',
  normal: 'normal',
  medium: 'normal',
  low: 'low',
};
const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * A gitfleet message from a draft. The sender and recipient map to server ids (a
 * folder of the tree), `all`, or op:<name>; a missing sender is op:build, a missing
 * recipient all; a missing subject is the body's first line; a missing or future time
 * is `now` (said in the notes). The id derives from the time and the source, so the
 * same source always makes the same message. A body that looks like it holds a secret
 * is not imported (gitfleet refuses those from senders too).
 */
export function draftToMessage(draft: MessageDraft, actors: BuildActors, now: Date): Parsed<Message> {
  const notes = [...draft.notes];
  const { body, truncated } = bodyText(draft.body ?? '');
  if (truncated) notes.push('body cut to 64 KiB');
  const subject = oneLine(draft.subject ?? '') || oneLine(body.split('\n').find((l) => l.trim()) ?? '');
  if (!subject && !body) return { skip: 'no subject and no body' };
  const secrets = scanForSecrets(`${subject}\n${body}`);
  if (secrets.length) return { skip: `looks like it holds a secret (${secrets[0]!.kind}): not imported, move it by hand if it must be kept` };
  let createdAt = draft.createdAt;
  if (createdAt && Date.parse(createdAt) > now.getTime() + FUTURE_SLACK_MS) {
    notes.push(`time ${createdAt} is in the future: import time used`);
    createdAt = now.toISOString();
  }
  if (!createdAt) {
    notes.push(draft.notes.some((n) => n.startsWith('no time')) ? 'import time used' : 'no time found: import time used');
    createdAt = now.toISOString();
  }
  const from = draft.from?.trim() ? actors.actor(draft.from) : 'op:build';
  if (!draft.from?.trim()) notes.push('no sender: recorded as op:build');
  const to = draft.to?.trim() ? actors.recipient(draft.to) : 'all';
  if (!draft.to?.trim()) notes.push('no recipient: addressed to all');
  const id = importedMessageId(Date.parse(createdAt), draft.key);
  const type = typeOf(draft.type);
  const message: Message = {
    schemaVersion: 1,
    id,
    from,
    to,
    priority: PRIORITIES[draft.priority?.trim().toLowerCase() ?? ''] ?? (type === 'error' ? 'high' : 'normal'),
    type,
    subject: subject || '(no subject)',
    createdAt,
    thread: id,
    ...(body ? { body } : {}),
    imported: { system: 'build', key: oneLine(draft.key, 300), ...(draft.originalId ? { id: oneLine(draft.originalId) } : {}) },
  };
  return { record: message, notes };
}

function typeOf(type: string | undefined): Message['type'] {
  const t = type?.trim().toLowerCase() ?? '';
  return TYPES.has(t) ? (t as Message['type']) : (TYPE_ALIASES[t] ?? 'info');
}
