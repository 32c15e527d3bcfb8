import { InvalidRecordError } from '../errors/index.js';
import type { FileChange } from '../git/GitBackend.js';
import { stringifyRecord } from '../util/stringifyRecord.js';
import { blobId } from './blobId.js';
import type { ChangeSet } from './ChangeSet.js';
import { parseRecordFile } from './parseRecordFile.js';
import { classifyPath } from './recordPaths.js';
import type { Snapshot } from './Snapshot.js';

/**
 * The files a change set makes on a snapshot: each record validated against its schema
 * (a plan never commits an invalid record: throws InvalidRecordError), writes and deletes
 * that change nothing dropped. The store commits exactly this, and tests of plans
 * (runPlan) use it too, so they see what a transaction would commit.
 */
export async function prepareChanges(changeSet: ChangeSet, snapshot: Snapshot): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  for (const write of changeSet.writes) {
    const c = classifyPath(write.path);
    if (c.type !== 'record' || c.kind !== write.kind) {
      throw new InvalidRecordError(`${write.path} is not a path for a ${write.kind} record`);
    }
    const content = Buffer.from(stringifyRecord(write.record), 'utf8');
    const parsed = parseRecordFile(write.kind, c.id, content);
    if (!parsed.ok) {
      throw new InvalidRecordError(`refusing to write ${write.path}: ${parsed.reason}`, {
        hint: 'nothing was written; fix the record so that it matches its schema in shared/',
        data: { path: write.path, reason: parsed.reason },
      });
    }
    const existing = await snapshot.entry(write.path);
    if (existing?.oid === blobId(content) && !existing.unexpected) continue;
    changes.push({ path: write.path, content });
  }
  for (const doc of changeSet.docs) {
    const content = Buffer.from(doc.text, 'utf8');
    const existing = await snapshot.entry(doc.path);
    if (existing?.oid !== blobId(content)) changes.push({ path: doc.path, content });
  }
  for (const path of changeSet.deletes) {
    if (await snapshot.entry(path)) changes.push({ path, content: null });
  }
  return changes;
}
