import { byPriorityThenTime, isExpired } from '../../../src/messages/addressing.js';
import type { Message, ReadReceipts } from '../../../src/schema/types.js';

/**
 * The operators' inbox: messages addressed to `op:<name>` (replies, requests), read by the
 * operator's own receipts (messages/receipts/op.<name>.json, reader `op:<name>`), as
 * `gitfleet msg list --mine` reads them.
 */

/** Whether a message is for the operators chosen: every operator ('op') or one ('op:<name>'). */
export function isForOperators(m: Pick<Message, 'to'>, to: string): boolean {
  return to === 'op' ? m.to.startsWith('op:') : m.to === to;
}

/** When the operator a message is addressed to read it (their receipts file), or null; undefined when it is not to an operator. */
export function readByOperator(m: Message, receipts: ReadonlyMap<string, ReadReceipts>): string | null | undefined {
  if (!m.to.startsWith('op:')) return undefined;
  return receipts.get(m.to)?.read[m.id] ?? null;
}

/** Unread first, then critical first and newest first within a priority: the CLI's inbox order. */
export function unreadFirst(messages: readonly Message[], receipts: ReadonlyMap<string, ReadReceipts>): Message[] {
  const isRead = (m: Message) => (readByOperator(m, receipts) ? 1 : 0);
  return [...messages].sort((a, b) => isRead(a) - isRead(b) || byPriorityThenTime(a, b));
}

/** Messages to operators that their operator has not read and that have not expired: the summary's count. */
export function unreadForOperators(messages: readonly Message[], receipts: ReadonlyMap<string, ReadReceipts>, now: number): Message[] {
  return messages.filter((m) => readByOperator(m, receipts) === null && !isExpired(m, now));
}

/** Every operator the data names as a recipient or a reader, for the filter. */
export function operatorsOf(messages: readonly Message[], receipts: ReadonlyMap<string, ReadReceipts>): string[] {
  const names = new Set<string>();
  for (const m of messages) if (m.to.startsWith('op:')) names.add(m.to);
  for (const reader of receipts.keys()) if (reader.startsWith('op:')) names.add(reader);
  return [...names].sort();
}
