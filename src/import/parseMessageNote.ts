import { decodeText, oneLine } from './cleanText.js';
import type { MessageDraft } from './messageDraft.js';
import { normaliseTime } from './normaliseTime.js';

const FILE_NAME = /^(\d{8})[-_T]?(\d{6})Z?_([^_]+)_([^_]+)_(.+)\.txt$/;
const HEADER = /^\s*(?:[-*]\s+)?(?:\*\*)?(from|to|subject|date|time|sent|priority|type)\s*(?::\s*\*\*|\*\*\s*:|:)\s*(.*?)\s*$/i;
const TITLE = /^\s*#{1,6}\s+(.+?)\s*#*\s*$/;
const RULE = /^\s*(-{3,}|={3,}|\*{3,})\s*$/;
/** Headers are looked for in the first lines only; below, "To: x" is part of the body. */
const HEADER_ZONE = 30;

type Header = 'from' | 'to' | 'subject' | 'date' | 'priority' | 'type';

/**
 * A free-text note (messages/*.txt) as a message draft, in whichever of Build's styles it
 * was written: mail-like headers (From:, To:, Subject:, Date:), markdown (a "# Subject"
 * line and "**From:** x" lines), a file name that says it all
 * (YYYYMMDD-HHMMSS_from_to_subject.txt), or nothing at all (the first line is the
 * subject). Headers win over the file name. The notes say which style was read and what
 * was missing; a file that is not UTF-8 text is null (the caller reports it).
 */
export function parseMessageNote(path: string, bytes: Uint8Array): MessageDraft | null {
  const text = decodeText(bytes);
  if (text === null) return null;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const headers: Partial<Record<Header, string>> = {};
  let title: string | undefined;
  const lines = text.split(/\r\n?|\n/);
  let bodyStart = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i >= HEADER_ZONE) {
      bodyStart = i;
      break;
    }
    const h = HEADER.exec(line);
    if (h) {
      const key = normaliseHeader(h[1]!);
      headers[key] ??= h[2]!.replace(/\*\*$/, '').trim();
      continue;
    }
    const t = title === undefined && !headers.subject ? TITLE.exec(line) : null;
    if (t) {
      title = t[1];
      continue;
    }
    if (line.trim() === '' || RULE.test(line)) continue;
    bodyStart = i;
    break;
  }
  const styles: string[] = [];
  if (Object.keys(headers).length) styles.push(title !== undefined || /\*\*/.test(text.slice(0, 2000)) ? 'markdown' : 'headers');
  else if (title !== undefined) styles.push('markdown');
  const file = FILE_NAME.exec(name);
  if (file) styles.push('file name');
  const notes = [`read as: ${styles.length ? styles.join(' + ') : 'plain text (no headers)'}`];
  const body = lines.slice(bodyStart).join('\n');
  let createdAt: string | undefined;
  const dateText = headers.date;
  if (dateText) {
    createdAt = normaliseTime(dateText) ?? undefined;
    if (!createdAt) notes.push(`Date ${JSON.stringify(oneLine(dateText, 40))} not understood`);
  }
  if (!createdAt && file) createdAt = normaliseTime(`${file[1]}-${file[2]}`) ?? undefined;
  if (!createdAt) notes.push('no time: no Date header and no time in the file name');
  const subject = headers.subject ?? title ?? (file ? file[5]!.replace(/[_-]+/g, ' ') : undefined);
  const from = headers.from ?? file?.[3];
  const to = headers.to ?? file?.[4];
  return {
    key: path,
    notes,
    body,
    ...(subject !== undefined ? { subject } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(headers.priority !== undefined ? { priority: headers.priority } : {}),
    ...(headers.type !== undefined ? { type: headers.type } : {}),
  };
}

function normaliseHeader(name: string): Header {
  const n = name.toLowerCase();
  return n === 'time' || n === 'sent' ? 'date' : (n as Header);
}
