import { field, textOf } from './cleanText.js';
import type { ReportLine } from './ImportReport.js';
import type { MessageDraft } from './messageDraft.js';
import { normaliseTime } from './normaliseTime.js';

/**
 * The entries of coordination/messages.json ({messages: [...]}, or a bare array) as
 * drafts. Entries that are not objects, and later duplicates of an id, are skipped.
 */
export function parseBuildMessages(value: unknown, file: string): { drafts: MessageDraft[]; lines: ReportLine[] } {
  const list = value !== null && typeof value === 'object' && !Array.isArray(value) && 'messages' in value ? (value as { messages: unknown }).messages : value;
  if (!Array.isArray(list)) return { drafts: [], lines: [{ source: file, outcome: 'skipped', reason: 'neither a list of messages nor {"messages": [...]}' }] };
  const drafts: MessageDraft[] = [];
  const lines: ReportLine[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const originalId = textOf(field(entry, 'id', 'message_id')) ?? undefined;
    const key = `${file}#${originalId ?? `[${i}]`}`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      lines.push({ source: key, outcome: 'skipped', reason: 'not a JSON object' });
      return;
    }
    if (originalId !== undefined && seen.has(originalId)) {
      lines.push({ source: key, outcome: 'skipped', reason: 'duplicate id: the first message with this id was imported' });
      return;
    }
    if (originalId !== undefined) seen.add(originalId);
    const notes: string[] = [];
    const rawTime = field(entry, 'timestamp', 'created_at', 'time', 'date', 'sent_at');
    const createdAt = normaliseTime(rawTime) ?? undefined;
    if (rawTime !== undefined && !createdAt) notes.push(`no time: ${JSON.stringify(String(rawTime).slice(0, 40))} is not a time`);
    const text = (name: string[]) => textOf(field(entry, ...name)) ?? undefined;
    drafts.push({
      key,
      notes,
      ...optional({
        from: text(['from', 'sender']),
        to: text(['to', 'recipient']),
        subject: text(['subject', 'title']),
        body: text(['body', 'message', 'content', 'text']),
        createdAt,
        type: text(['type']),
        priority: text(['priority']),
        originalId,
      }),
    });
  });
  return { drafts, lines };
}

function optional<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
