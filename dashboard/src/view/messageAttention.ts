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

/** Every server by id and by label, built once per fleet (the lists run to thousands of messages). */
interface Audience {
  all: Set<string>;
  byLabel: Map<string, Set<string>>;
  labels: Map<string, readonly string[]>;
  /** Message id → the servers whose receipts acknowledge it. */
  ackedBy: Map<string, string[]>;
}

const audiences = new WeakMap<readonly ServerView[], { receipts: ReadonlyMap<string, ReadReceipts>; audience: Audience }>();

function audienceOf(servers: readonly ServerView[], receipts: ReadonlyMap<string, ReadReceipts>): Audience {
  const cached = audiences.get(servers);
  if (cached?.receipts === receipts) return cached.audience;
  const all = new Set(servers.map((s) => s.id));
  // A server known only from its receipts file counts for `all`; an operator's file (op:<name>) never does.
  for (const id of receipts.keys()) if (!id.startsWith('op:')) all.add(id);
  const byLabel = new Map<string, Set<string>>();
  for (const s of servers) for (const label of s.status.labels ?? []) byLabel.set(label, (byLabel.get(label) ?? new Set()).add(s.id));
  const ackedBy = new Map<string, string[]>();
  for (const [server, r] of receipts) for (const id of Object.keys(r.acked ?? {})) ackedBy.set(id, [...(ackedBy.get(id) ?? []), server]);
  const audience = { all, byLabel, labels: new Map(servers.map((s) => [s.id, s.status.labels ?? []])), ackedBy };
  audiences.set(servers, { receipts, audience });
  return audience;
}

/**
 * The readers a message is addressed to, by the agent's own rule (`isAddressedTo`, the
 * function that decides delivery): a server id, every server carrying the label (labels
 * from its status record, as `gitfleet msg list --server` reads them), or every server for
 * `all`; an operator for `op:<name>`; never the sender itself, which picks up no message of
 * its own. Servers known only from a receipts file count for `all`.
 */
export function recipientsOf(m: Message, servers: readonly ServerView[], receipts: ReadonlyMap<string, ReadReceipts>): string[] {
  const audience = audienceOf(servers, receipts);
  return [...candidatesOf(m, audience)].filter((id) => isRecipient(m, id, audience)).sort();
}

/** The servers a message's address can name (a superset: isRecipient decides). */
function candidatesOf(m: Message, audience: Audience): ReadonlySet<string> {
  if (m.to === 'all') return audience.all;
  if (m.to.startsWith('label:')) return audience.byLabel.get(m.to.slice('label:'.length)) ?? new Set();
  // A server by id, or an operator (op:<name>), who reads and acknowledges as themselves.
  return new Set([m.to]);
}

function isRecipient(m: Message, server: string, audience: Audience): boolean {
  return server !== m.from && isAddressedTo(m, server, audience.labels.get(server) ?? []);
}

/** Who a message is for and what each did with it; a server whose receipts name the message but that it is no longer addressed to is listed too. */
export function messageReceipts(m: Message, servers: readonly ServerView[], receipts: ReadonlyMap<string, ReadReceipts>): RecipientReceipt[] {
  const addressed = new Set(recipientsOf(m, servers, receipts));
  const entry = (server: string) => {
    const r = receipts.get(server);
    return { server, addressed: addressed.has(server), delivered: r?.delivered?.[m.id] ?? null, read: r?.read[m.id] ?? null, acked: r?.acked?.[m.id] ?? null };
  };
  const out = [...addressed].map(entry);
  for (const server of receipts.keys()) {
    if (addressed.has(server)) continue;
    const e = entry(server);
    if (e.delivered || e.read || e.acked) out.push(e);
  }
  return out.sort((a, b) => a.server.localeCompare(b.server));
}

/**
 * A message needs attention until it expires or every reader it is addressed to (servers,
 * or the operator of `op:<name>`) has acknowledged it (`gitfleet msg ack`). One that nobody
 * can acknowledge (to a label no server carries) needs attention until it expires or is archived.
 */
export function messageStanding(m: Message, servers: readonly ServerView[], receipts: ReadonlyMap<string, ReadReceipts>, now: number): MessageStanding {
  if (isExpired(m, now)) return { state: 'expired' };
  // Counted from the indexes, not by walking every server: a broadcast in a fleet of
  // thousands is one subtraction, and only the servers that acknowledged are looked at.
  const audience = audienceOf(servers, receipts);
  const candidates = candidatesOf(m, audience);
  const recipients = candidates.size - (candidates.has(m.from) ? 1 : 0);
  const acked = (audience.ackedBy.get(m.id) ?? []).filter((id) => candidates.has(id) && isRecipient(m, id, audience)).length;
  return recipients > 0 && acked === recipients ? { state: 'acknowledged', recipients } : { state: 'open', acked, recipients };
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
export function openCritical(
  messages: readonly Message[],
  servers: readonly ServerView[],
  receipts: ReadonlyMap<string, ReadReceipts>,
  now: number,
): Message[] {
  return messages.filter((m) => m.priority === 'critical' && messageStanding(m, servers, receipts, now).state === 'open');
}
