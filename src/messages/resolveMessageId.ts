import { NotFoundError, UsageError } from '../errors/index.js';
import type { Message } from '../schema/types.js';
import type { Snapshot } from '../store/Snapshot.js';

/** A message by its id or a unique prefix of it (at least 6 characters), live or archived. */
export async function resolveMessage(snapshot: Snapshot, idOrPrefix: string): Promise<Message> {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (!/^[a-z0-9-]{1,63}$/.test(wanted)) throw new UsageError(`${JSON.stringify(idOrPrefix.slice(0, 70))} is not a message id`);
  const exact = await snapshot.get('message', wanted);
  if (exact) return exact;
  const [live, archived] = await Promise.all([snapshot.list('message'), snapshot.list('message', { archived: true })]);
  const all = [...live.records, ...archived.records];
  const match = all.find((m) => m.id === wanted);
  if (match) return match;
  if (wanted.length < 6) throw new NotFoundError(`no message ${wanted}`, { hint: 'give the id, or at least 6 of its first characters' });
  const candidates = all.filter((m) => m.id.startsWith(wanted));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length > 1) throw new UsageError(`${wanted} matches ${candidates.length} messages`, { hint: 'give more characters of the id' });
  throw new NotFoundError(`no message ${wanted}`, { hint: 'see gitfleet msg list' });
}
