import { byPriorityThenTime, isAddressedTo, isExpired } from '../../../src/messages/addressing.js';
import type { Message, ReadReceipts } from '../../../src/schema/types.js';
import type { ServerView } from '../data/FleetData.js';

/** What one server's receipts file says about one message. */
export interface RecipientReceipt {
  server: string;
  /** Addressed to it now (by id, label or all); a server whose receipts name the message but no longer matches its address is listed too. */
  addressed: boolean;
  delivered: string | null;
  read: string | null;
  acked: string | null;
}

/** Where a message stands: still waiting for someone, acknowledged by every recipient, or expired. */
export type MessageStanding = { state: 'open'; acked: number; recipients: number } | { state: 'acknowledged'; recipients: number } | { state: 'expired' };

/**
 * Who a message is for and what each of them did with it. The recipients follow the
 * agent's own rule (`isAddressedTo`, the same function that decides delivery): a server id,
 * every server carrying the label (labels from its status record, as `gitfleet msg list
 * --server` reads them), or every server for `all`; never the sender itself, which picks up
 * no message of its own. Servers known only from a receipts file count for `all`.
 */
export function messageReceipts(m: Message, servers: readonly ServerView[], receipts: ReadonlyMap<string, ReadReceipts>): RecipientReceipt[] {
  const labels = new Map(servers.map((s) => [s.id, s.status.labels ?? []]));
  for (const id of receipts.keys()) if (!labels.has(id)) labels.set(id, []);
  if (!m.to.includes(':') && m.to !== 'all' && !labels.has(m.to)) labels.set(m.to, []);
  const out: RecipientReceipt[] = [];
  for (const [server, serverLabels] of labels) {
    const r = receipts.get(server);
    const entry = { delivered: r?.delivered?.[m.id] ?? null, read: r?.read[m.id] ?? null, acked: r?.acked?.[m.id] ?? null };
    const addressed = server !== m.from && isAddressedTo(m, server, serverLabels);
    if (addressed || entry.delivered || entry.read || entry.acked) out.push({ server, addressed, ...entry });
  }
  return out.sort((a, b) => a.server.localeCompare(b.server));
}

/**
 * A message needs attention until it expires or every server it is addressed to has
 * acknowledged it (`gitfleet msg ack`). One that no server can acknowledge (to an
 * operator, or to a label no server carries) needs attention until it expires or is archived.
 */
export function messageStanding(m: Message, servers: readonly ServerView[], receipts: ReadonlyMap<string, ReadReceipts>, now: number): MessageStanding {
  if (isExpired(m, now)) return { state: 'expired' };
  const recipients = messageReceipts(m, servers, receipts).filter((r) => r.addressed);
  const acked = recipients.filter((r) => r.acked !== null).length;
  return recipients.length > 0 && acked === recipients.length ? { state: 'acknowledged', recipients: recipients.length } : { state: 'open', acked, recipients: recipients.length };
}

/**
 * The message list's order: the messages that need attention first, then the rest; within
 * each, the CLI's order (critical first, newest first within a priority).
 */
export function byAttention(messages: readonly Message[], servers: readonly ServerView[], receipts: ReadonlyMap<string, ReadReceipts>, now: number): Message[] {
  const open = new Set(messages.filter((m) => messageStanding(m, servers, receipts, now).state === 'open').map((m) => m.id));
  return [...messages].sort((a, b) => Number(open.has(b.id)) - Number(open.has(a.id)) || byPriorityThenTime(a, b));
}

/** Critical messages that still need attention: the summary's count. */
export function openCritical(messages: readonly Message[], servers: readonly ServerView[], receipts: ReadonlyMap<string, ReadReceipts>, now: number): Message[] {
  return messages.filter((m) => m.priority === 'critical' && messageStanding(m, servers, receipts, now).state === 'open');
}
