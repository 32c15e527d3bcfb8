import { ARCHIVE_LAYOUT_MARKERS } from './recordPaths.js';
import type { Snapshot } from './Snapshot.js';

/**
 * Whether archive writers put records of `kind` in shard folders (layout 2) at this snapshot:
 * yes once `gitfleet migrate` wrote the archive's layout marker. Read from the same snapshot the
 * plan runs on, so a migration that lands between two attempts is seen by the replay.
 */
export async function archiveSharded(snapshot: Pick<Snapshot, 'entry'>, kind: keyof typeof ARCHIVE_LAYOUT_MARKERS): Promise<boolean> {
  return (await snapshot.entry(ARCHIVE_LAYOUT_MARKERS[kind])) !== undefined;
}
