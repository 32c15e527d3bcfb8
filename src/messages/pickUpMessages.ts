import type { Message, ReadReceipts } from '../schema/types.js';
import { isAddressedTo, isExpired } from './addressing.js';
import { FUTURE_SLACK_MS } from '../util/clockBounds.js';
import { idTime } from '../util/ids.js';
import type { Snapshot } from '../store/Snapshot.js';
import { liveRecordId, recordPath } from '../store/recordPaths.js';

/** Messages sent this long before the watermark are still looked at (senders' clocks differ). */
const CLOCK_SLACK_MS = 15 * 60_000;

export interface Pickup {
  messages: Message[];
  /** The receipts file with the new deliveries added, or null when nothing is new. */
  receipts: ReadReceipts | null;
  /** The newest message id handled, for the next watermark (never past now plus the slack). */
  watermark: string | null;
  /** Why nothing could be picked up (this server's receipts file exists but is invalid). */
  blocked?: string;
}

/**
 * The watermark this reader may believe: a saved or proposed id whose time lies beyond
 * now plus FUTURE_SLACK_MS is dropped (null: the whole mailbox is looked at once more,
 * and the receipts keep what was delivered from being delivered twice).
 */
export function boundedWatermark(watermark: string | null | undefined, now: number): string | null {
  if (!watermark) return null;
  const t = idTime(watermark);
  return t !== null && t <= now + FUTURE_SLACK_MS ? watermark : null;
}

/**
 * New messages for this server: addressed to it (id, label or all), not expired, not
 * sent by itself, not yet in its receipts as delivered. Only ids newer than the
 * watermark (less some slack for clock skew) are read, so an agent does not re-read
 * the whole mailbox every cycle.
 *
 * The next watermark comes only from valid messages this run handled (delivered, or
 * read and found not for this server) and never passes now plus FUTURE_SLACK_MS: a
 * file name is a claim anyone with push access can make, and one far-future name must
 * not stop delivery for good.
 */
export async function pickUpMessages(
  snapshot: Snapshot,
  server: string,
  labels: readonly string[],
  watermark: string | null,
  now = Date.now(),
): Promise<Pickup> {
  // Loose: a message added since is simply picked up next cycle; each one delivered is read by its path.
  const ids = (await snapshot.paths('messages', { loose: true })).map((p) => liveRecordId(p, 'message')).filter((id): id is string => id !== undefined);
  const start = boundedWatermark(watermark, now);
  const since = start ? (idTime(start) ?? 0) - CLOCK_SLACK_MS : 0;
  const limit = now + FUTURE_SLACK_MS;
  const candidates = ids.filter((id) => {
    const t = idTime(id);
    return t === null || t >= since;
  });
  const current = await snapshot.inspect('receipts', server);
  // Never replace a receipts file that could not be read (it holds what operators read
  // and acknowledged): deliver nothing until it is fixed, and say why.
  if (current && !current.ok)
    return {
      messages: [],
      receipts: null,
      watermark: start,
      blocked: `${recordPath('receipts', server)} is invalid (${current.reason}); fix or delete it (gitfleet validate)`,
    };
  const receipts = current?.ok ? current.value : undefined;
  const delivered = receipts?.delivered ?? {};
  const fresh: Message[] = [];
  let newest = start;
  for (const id of candidates) {
    const m = await snapshot.get('message', id);
    if (!m) continue;
    const t = idTime(m.id);
    if (t !== null && t <= limit && (newest === null || m.id > newest)) newest = m.id;
    if (delivered[id] !== undefined || m.from === server || isExpired(m, now) || !isAddressedTo(m, server, labels)) continue;
    fresh.push(m);
  }
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
