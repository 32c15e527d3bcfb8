import type { Message, ReadReceipts } from '../schema/types.js';
import { isAddressedTo, isExpired } from '../messages/addressing.js';
import { idTime } from '../util/ids.js';
import type { Snapshot } from '../store/Snapshot.js';

/** Messages sent this long before the watermark are still looked at (senders' clocks differ). */
const CLOCK_SLACK_MS = 15 * 60_000;

export interface Pickup {
  messages: Message[];
  /** The receipts file with the new deliveries added, or null when nothing is new. */
  receipts: ReadReceipts | null;
  /** The newest message id seen, for the next watermark. */
  watermark: string | null;
}

/**
 * New messages for this server: addressed to it (id, label or all), not expired, not
 * sent by itself, not yet in its receipts as delivered. Only ids newer than the
 * watermark (less some slack for clock skew) are read, so an agent does not re-read
 * the whole mailbox every cycle.
 */
export async function pickUpMessages(snapshot: Snapshot, server: string, labels: readonly string[], watermark: string | null, now = Date.now()): Promise<Pickup> {
  const ids = (await snapshot.paths('messages'))
    .map((p) => /^messages\/([^/]+)\.json$/.exec(p)?.[1])
    .filter((id): id is string => id !== undefined);
  const since = watermark ? (idTime(watermark) ?? 0) - CLOCK_SLACK_MS : 0;
  const candidates = ids.filter((id) => {
    const t = idTime(id);
    return t === null || t >= since;
  });
  const receipts = await snapshot.get('receipts', server);
  const delivered = receipts?.delivered ?? {};
  const fresh: Message[] = [];
  for (const id of candidates) {
    if (delivered[id] !== undefined) continue;
    const m = await snapshot.get('message', id);
    if (!m || m.from === server || isExpired(m, now) || !isAddressedTo(m, server, labels)) continue;
    fresh.push(m);
  }
  const newest = ids.reduce<string | null>((max, id) => (idTime(id) !== null && (max === null || id > max) ? id : max), watermark);
  if (fresh.length === 0) return { messages: [], receipts: null, watermark: newest };
  const liveIds = new Set(ids);
  const at = new Date(now).toISOString();
  const next: ReadReceipts = { schemaVersion: 1, server, read: {}, delivered: {} };
  for (const field of ['delivered', 'read', 'acked'] as const) {
    for (const [id, when] of Object.entries(receipts?.[field] ?? {})) {
      if (!liveIds.has(id)) continue;
      (next[field] ??= {})[id] = when;
    }
  }
  for (const m of fresh) next.delivered![m.id] = at;
  return { messages: fresh.sort((a, b) => a.id.localeCompare(b.id)), receipts: next, watermark: newest };
}
