import { UnsupportedError } from '../errors/index.js';
import type { Store } from '../store/Store.js';

export interface HistoryExtent {
  /** Every object reachable from the head as stored on disk (packed sizes). */
  bytes: number;
  /** The commit time of the oldest commit (a compacted history's folded root), ms; null when empty. */
  oldestMs: number | null;
}

/**
 * The size of the branch's whole history, in bytes (`git rev-list --objects --disk-usage`):
 * what a fresh full clone downloads, near enough, and what compaction shrinks; and how far
 * back it reaches. Fetches the whole history first (the cache is shallow), so it costs one
 * full read: call it rarely.
 */
export async function historyExtent(store: Store): Promise<HistoryExtent> {
  return store.withCache(async (backend) => {
    const history = backend.rewriteHistory;
    if (!history) throw new UnsupportedError('measuring history needs the git CLI backend', { hint: 'run it with --backend cli' });
    const head = await backend.fetch();
    if (head === null) return { bytes: 0, oldestMs: null };
    await history.unshallow();
    const out = (await history.plumbing(['rev-list', '--objects', '--disk-usage', head])).toString('utf8').trim();
    const bytes = Number(out);
    if (!Number.isFinite(bytes) || bytes < 0) throw new Error(`git rev-list --disk-usage said ${JSON.stringify(out.slice(0, 40))}`);
    // The root commits' times (one after a compaction; committer time, as the store writes it).
    const roots = (await history.plumbing(['log', '--max-parents=0', '--format=%ct', head])).toString('utf8').trim().split('\n');
    const times = roots.map(Number).filter((t) => Number.isFinite(t) && t > 0);
    return { bytes, oldestMs: times.length > 0 ? Math.min(...times) * 1000 : null };
  });
}
