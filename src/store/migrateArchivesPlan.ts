import { ChangeSet } from './ChangeSet.js';
import { decide, type Plan } from './Plan.js';
import { ARCHIVE_LAYOUT_MARKERS, classifyPath } from './recordPaths.js';

/**
 * Records moved per commit: a few hundred small JSON files keep one push well under a
 * megabyte, and a replay after a lost race re-reads only this many records.
 */
export const MIGRATE_BATCH = 400;

export interface MigrateReport {
  /** Archived records moved from their flat month folder into their shard in this commit. */
  moved: number;
  /** Flat archived records still to move (the caller runs the plan again while this is > 0). */
  remaining: number;
  /** Flat archived files that did not parse: left where they are (never rewrite what you cannot read). */
  unreadable: string[];
  /** Whether this commit wrote the layout markers (the first run). */
  markedLayout: boolean;
}

const MARKER_TEXT: Record<keyof typeof ARCHIVE_LAYOUT_MARKERS, string> = {
  job: '# Archived jobs\n\nLayout 2 (gitfleet migrate): `YYYY-MM/<shard>/<job id>.json`, where the shard is two hex digits derived from the id, so no folder passes the 3,000 entries a git host lists. Every archive writer shards while this file exists; readers also accept the flat `YYYY-MM/<job id>.json` of layout 1.\n',
  message:
    '# Archived messages\n\nLayout 2 (gitfleet migrate): `YYYY-MM/<shard>/<message id>.json`, where the shard is two hex digits derived from the id, so no folder passes the 3,000 entries a git host lists. Every archive writer shards while this file exists; readers also accept the flat `YYYY-MM/<message id>.json` of layout 1.\n',
};

/**
 * One step of the move to layout 2: write the layout markers (so every archive writer shards
 * from this commit on), then move up to `batch` flat archived records into their shards. Run
 * it until `remaining` is 0; each step is its own transaction, so agents and the coordinator
 * keep landing their commits between steps, and a step replays against the head it lost to.
 */
export function migrateArchivesPlan(batch = MIGRATE_BATCH): Plan<MigrateReport> {
  return async (snapshot) => {
    const changes = new ChangeSet();
    let markedLayout = false;
    for (const kind of ['job', 'message'] as const) {
      if ((await snapshot.entry(ARCHIVE_LAYOUT_MARKERS[kind])) === undefined) {
        changes.putDoc(ARCHIVE_LAYOUT_MARKERS[kind], MARKER_TEXT[kind]);
        markedLayout = true;
      }
    }
    const flat: { kind: 'job' | 'message'; id: string; month: string; path: string }[] = [];
    for (const root of ['jobs', 'messages'] as const) {
      for (const path of await snapshot.paths(root)) {
        const c = classifyPath(path);
        if (c.type === 'record' && (c.kind === 'job' || c.kind === 'message') && c.month !== undefined && !c.sharded && c.id !== null) {
          flat.push({ kind: c.kind, id: c.id, month: c.month, path });
        }
      }
    }
    flat.sort((a, b) => a.path.localeCompare(b.path));
    const unreadable: string[] = [];
    let moved = 0;
    let looked = 0;
    for (const f of flat) {
      if (moved >= batch) break;
      looked++;
      const found = await snapshot.inspect(f.kind, f.id, { archiveMonth: f.month, sharded: false });
      if (!found?.ok) {
        unreadable.push(f.path);
        continue;
      }
      changes.delete(f.kind, f.id, { archiveMonth: f.month, sharded: false });
      if (f.kind === 'job') changes.put('job', found.value as never, { archiveMonth: f.month, sharded: true });
      else changes.put('message', found.value as never, { archiveMonth: f.month, sharded: true });
      moved++;
    }
    // Unreadable files stay flat for good: once looked at, they are not work left.
    return decide(changes, { moved, remaining: flat.length - looked, unreadable, markedLayout });
  };
}
