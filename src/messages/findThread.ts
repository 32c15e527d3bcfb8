import type { Message } from '../schema/types.js';
import type { Snapshot } from '../store/Snapshot.js';

/** Every message of the thread `id` belongs to, live and archived, oldest first. */
export async function findThread(snapshot: Snapshot, id: string): Promise<Message[] | null> {
  const [live, archived] = await Promise.all([snapshot.list('message'), snapshot.list('message', { archived: true })]);
  const all = [...live.records, ...archived.records];
  const start = all.find((m) => m.id === id);
  if (!start) return null;
  return all.filter((m) => m.thread === start.thread).sort((a, b) => a.id.localeCompare(b.id));
}
