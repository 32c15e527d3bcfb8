import { isAddressedTo, isExpired } from '../messages/addressing.js';
import type { Message, Priority } from '../schema/types.js';
import { FamilyBuilder } from './FamilyBuilder.js';
import type { MetricsView } from './MetricsView.js';

const PRIORITIES: readonly Priority[] = ['critical', 'high', 'normal', 'low'];

/**
 * Messages that need someone: per priority, the live messages not expired and not yet
 * acknowledged by every reader they are addressed to (the dashboard's "needs attention",
 * dashboard/src/view/messageAttention.ts, by the same rule); and per operator, the
 * messages to them they have not read (their own receipts, op.<name>.json).
 */
export function messageFamilies(view: MetricsView): FamilyBuilder[] {
  const open = new FamilyBuilder(
    'gitfleet_messages_open',
    'gauge',
    'Messages not expired that not every reader they are addressed to has acknowledged, by priority',
  );
  const unread = new FamilyBuilder(
    'gitfleet_operator_messages_unread',
    'gauge',
    'Messages to an operator (op:<name>) that they have not read and that have not expired',
  );

  const servers = new Set(view.statuses.keys());
  for (const reader of view.receipts.keys()) if (!reader.startsWith('op:')) servers.add(reader);
  const labels = (server: string) => view.statuses.get(server)?.labels ?? [];
  const recipients = (m: Message): string[] => {
    if (m.to.startsWith('op:')) return [m.to];
    const candidates = m.to === 'all' || m.to.startsWith('label:') ? servers : new Set([m.to]);
    return [...candidates].filter((s) => s !== m.from && isAddressedTo(m, s, labels(s)));
  };

  const openCount = new Map<Priority, number>();
  const unreadCount = new Map<string, number>();
  for (const reader of view.receipts.keys()) if (reader.startsWith('op:')) unreadCount.set(reader, 0);
  for (const m of view.messages) {
    if (m.to.startsWith('op:') && !unreadCount.has(m.to)) unreadCount.set(m.to, 0);
    if (isExpired(m, view.now)) continue;
    const readers = recipients(m);
    const acked = readers.filter((r) => view.receipts.get(r)?.acked?.[m.id] !== undefined).length;
    if (readers.length === 0 || acked < readers.length) openCount.set(m.priority, (openCount.get(m.priority) ?? 0) + 1);
    if (m.to.startsWith('op:') && view.receipts.get(m.to)?.read[m.id] === undefined) unreadCount.set(m.to, (unreadCount.get(m.to) ?? 0) + 1);
  }
  for (const priority of PRIORITIES) open.add({ priority }, openCount.get(priority) ?? 0);
  for (const [operator, n] of [...unreadCount].sort(([a], [b]) => a.localeCompare(b))) unread.add({ operator: operator.slice('op:'.length) }, n);
  return [open, unread];
}
