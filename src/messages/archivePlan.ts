import type { Plan } from '../store/Store.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { archiveSharded } from '../store/archiveLayout.js';
import { decide } from '../store/Plan.js';
import type { Message } from '../schema/types.js';
import { parseTime } from '../util/clockBounds.js';
import { isExpired } from './addressing.js';

/** At most this many messages move per commit, so one archive run cannot make a giant commit. */
export const ARCHIVE_BATCH = 2000;

export interface ArchiveReport {
  moved: number;
  remaining: number;
}

/**
 * Moves expired messages, and messages older than `olderThanMs`, to
 * messages/archive/YYYY-MM/ (the month they were sent). Their content is unchanged, so
 * threads and replies stay readable; receipts of archived messages are dropped by
 * their owners the next time they write. Its value says how many move in this commit
 * and how many are left for the next.
 */
export function archivePlan(olderThanMs: number, now = Date.now()): Plan<ArchiveReport> {
  return async (snapshot) => {
    const { records } = await snapshot.list('message');
    // A sending time further ahead of this clock than the age limit is no time at all (a
    // hand-pushed year 9999): such a message counts as old, or it would stay for ever.
    // A few minutes of skew keep it, so a message from a fast clock is never archived unread.
    const created = (m: Message) => parseTime(m.createdAt) ?? 0;
    const due = records.filter((m) => isExpired(m, now) || Math.abs(now - created(m)) > olderThanMs).sort((a, b) => a.id.localeCompare(b.id));
    const batch = due.slice(0, ARCHIVE_BATCH);
    const changes = new ChangeSet();
    const sharded = await archiveSharded(snapshot, 'message');
    for (const m of batch) {
      changes.delete('message', m.id);
      changes.put('message', m, { archiveMonth: new Date(Math.min(created(m), now)).toISOString().slice(0, 7), sharded });
    }
    return decide(changes, { moved: batch.length, remaining: due.length - batch.length });
  };
}
