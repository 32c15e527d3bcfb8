import type { MessageReceipts, ReceiptMark } from '../messages/messageReceipts.js';
import type { Message, ReadReceipts } from '../schema/types.js';
import { formatDuration } from '../util/duration.js';
import type { CommandContext } from './CommandContext.js';
import { formatTable } from './formatTable.js';
import { terminalText } from './terminalText.js';

/** A list of messages: a table for people, the records for --json. */
export function printMessageList(ctx: CommandContext, messages: Message[], receipts?: ReadReceipts): void {
  if (ctx.json) {
    ctx.printJson(messages.map((m) => ({ ...m, read: receipts ? (receipts.read[m.id] ?? null) : undefined })));
    return;
  }
  if (messages.length === 0) {
    ctx.io.out('no messages');
    return;
  }
  const now = Date.now();
  ctx.io.out(
    formatTable(messages, [
      { header: '', value: (m) => (receipts && !receipts.read[m.id] ? '*' : ' ') },
      { header: 'ID', value: (m) => m.id },
      { header: 'PRIORITY', value: (m) => m.priority },
      { header: 'TYPE', value: (m) => m.type },
      { header: 'FROM', value: (m) => m.from },
      { header: 'TO', value: (m) => m.to },
      { header: 'AGE', value: (m) => formatDuration(now - Date.parse(m.createdAt)), align: 'right' },
      { header: 'SUBJECT', value: (m) => m.subject, max: 70 },
    ]),
  );
  if (receipts) ctx.io.out(`${messages.filter((m) => !receipts.read[m.id]).length} unread (*)`);
}

/** One message in full, with who has had it delivered, read and acknowledged when given. */
export function printMessage(ctx: CommandContext, m: Message, receipts?: MessageReceipts): void {
  const lines = [
    `id:       ${m.id}`,
    `from:     ${terminalText(m.from)}`,
    `to:       ${terminalText(m.to)}`,
    `priority: ${m.priority}    type: ${m.type}${m.tags?.length ? `    tags: ${terminalText(m.tags.join(', '))}` : ''}`,
    `sent:     ${m.createdAt}${m.expiresAt ? `    expires: ${m.expiresAt}` : ''}`,
    ...(m.replyTo ? [`reply to: ${m.replyTo}`] : []),
    ...(m.thread !== m.id ? [`thread:   ${m.thread}`] : []),
    ...(receipts ? receiptLines(receipts, Date.now()) : []),
    `subject:  ${terminalText(m.subject)}`,
    '',
    terminalText(m.body ?? '', { multiline: true }),
  ];
  ctx.io.out(lines.join('\n'));
}

/** delivered / read / acked / waiting, each reader with how long ago. */
function receiptLines(r: MessageReceipts, now: number): string[] {
  const marks = (list: ReceiptMark[]) =>
    list.length ? list.map((x) => `${terminalText(x.by)} (${formatDuration(now - Date.parse(x.at))} ago)`).join(', ') : 'nobody yet';
  return [
    `delivered: ${marks(r.delivered)}`,
    `read:      ${marks(r.read)}`,
    `acked:     ${marks(r.acked)}`,
    ...(r.waiting.length ? [`waiting:   ${r.waiting.map((w) => terminalText(w)).join(', ')}`] : []),
  ];
}
