import { PRIORITY_RANK } from '../schema/priorityRank.js';
import type { Message } from '../schema/types.js';

/**
 * Whether a message is addressed to this reader: a server (by id, by one of its labels,
 * or to all), or an operator op:<name> (by name only: all and labels address servers).
 */
export function isAddressedTo(message: Pick<Message, 'to'>, server: string, labels: readonly string[]): boolean {
  if (message.to === server) return true;
  if (server.startsWith('op:')) return false;
  if (message.to === 'all') return true;
  return message.to.startsWith('label:') && labels.includes(message.to.slice('label:'.length));
}

export function isExpired(message: Pick<Message, 'expiresAt'>, now: number): boolean {
  return message.expiresAt !== undefined && Date.parse(message.expiresAt) <= now;
}

/** Critical first, then high, normal, low; newest first within a priority. */
export function byPriorityThenTime(a: Message, b: Message): number {
  return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || b.id.localeCompare(a.id);
}
