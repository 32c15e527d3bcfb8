import type { Plan } from '../store/Store.js';
import { ChangeSet } from '../store/ChangeSet.js';
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
 * their owners the next time they write.
 */
export function archivePlan(olderThanMs: number, report: ArchiveReport, now = Date.now()): Plan {
  return async (snapshot) => {
    const { records } = await snapshot.list('message');
    const due = records.filter((m) => isExpired(m, now) || Date.parse(m.createdAt) < now - olderThanMs).sort((a, b) => a.id.localeCompare(b.id));
    const batch = due.slice(0, ARCHIVE_BATCH);
    report.moved = batch.length;
    report.remaining = due.length - batch.length;
    const changes = new ChangeSet();
    for (const m of batch) {
      changes.delete('message', m.id);
      changes.put('message', m, { archiveMonth: m.createdAt.slice(0, 7) });
    }
    return changes;
  };
}
