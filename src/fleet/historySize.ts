import { UnsupportedError } from '../errors/index.js';
import type { Store } from '../store/Store.js';

/**
 * The size of the branch's whole history, in bytes: every object reachable from the head
 * as stored on disk (`git rev-list --objects --disk-usage`, packed sizes). What a fresh
 * full clone downloads, near enough, and what compaction shrinks. Fetches the whole
 * history first (the cache is shallow), so it costs one full read: call it rarely.
 */
export async function historySizeBytes(store: Store): Promise<number> {
  return store.withCache(async (backend) => {
    const history = backend.rewriteHistory;
    if (!history) throw new UnsupportedError('measuring history needs the git CLI backend', { hint: 'run it with --backend cli' });
    const head = await backend.fetch();
    if (head === null) return 0;
    await history.unshallow();
    const out = (await history.plumbing(['rev-list', '--objects', '--disk-usage', head])).toString('utf8').trim();
    const bytes = Number(out);
    if (!Number.isFinite(bytes) || bytes < 0) throw new Error(`git rev-list --disk-usage said ${JSON.stringify(out.slice(0, 40))}`);
    return bytes;
  });
}
