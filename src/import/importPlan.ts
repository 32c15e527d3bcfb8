import type { RecordKind } from '../schema/recordKinds.js';
import { stringifyRecord } from '../util/stringifyRecord.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { parseRecordFile } from '../store/parseRecordFile.js';
import type { Plan } from '../store/Plan.js';
import { decide } from '../store/Plan.js';
import { recordPath } from '../store/recordPaths.js';
import type { Snapshot } from '../store/Snapshot.js';
import type { ReportLine } from './ImportReport.js';
import type { ImportRecords } from './parseBuildTree.js';

/**
 * Writes the imported records in one transaction, creating only: a record whose file
 * exists (an agent's newer status, an earlier import, a file that does not parse) or
 * whose source was imported before (the same `imported.key`, live or archived) is left
 * alone. So running the import again writes nothing, and never overwrites what gitfleet
 * wrote since. The value is a report line per record.
 */
export function importPlan(records: ImportRecords): Plan<ReportLine[]> {
  return async (snapshot) => {
    const changes = new ChangeSet();
    const lines: ReportLine[] = [];
    const keys = await importedKeys(snapshot);
    const place = async (source: string, path: string, key: string | undefined, notes: string[], put: () => void, check: [RecordKind, string, unknown]) => {
      const note = notes.length ? { note: notes.join('; ') } : {};
      // The store refuses a whole commit for one invalid record: a mapping that missed a
      // hostile shape skips that record, with the schema's reason, instead.
      const valid = parseRecordFile(check[0], check[1], Buffer.from(stringifyRecord(check[2]), 'utf8'));
      if (!valid.ok) lines.push({ source, outcome: 'skipped', target: path, reason: `the mapped record is not valid: ${valid.reason}`.slice(0, 300), ...note });
      else if (key !== undefined && keys.has(key)) lines.push({ source, outcome: 'present', target: path, reason: 'imported before', ...note });
      else if (await snapshot.entry(path)) lines.push({ source, outcome: 'present', target: path, reason: `${path} exists: left alone`, ...note });
      else {
        put();
        lines.push({ source, outcome: 'imported', target: path, ...note });
      }
    };
    for (const s of records.statuses) {
      await place(s.source, recordPath('status', s.record.server), undefined, s.notes, () => changes.put('status', s.record), [
        'status',
        s.record.server,
        s.record,
      ]);
    }
    for (const j of records.jobs) {
      const options = j.archiveMonth ? { archiveMonth: j.archiveMonth } : {};
      await place(j.source, recordPath('job', j.job.id, options), j.job.imported?.key, j.notes, () => changes.put('job', j.job, options), [
        'job',
        j.job.id,
        j.job,
      ]);
    }
    for (const m of records.messages) {
      await place(m.source, recordPath('message', m.record.id), m.record.imported?.key, m.notes, () => changes.put('message', m.record), [
        'message',
        m.record.id,
        m.record,
      ]);
    }
    return decide(changes, lines);
  };
}

/** The sources of every job and message imported before, wherever they are now (live or archived). */
async function importedKeys(snapshot: Snapshot): Promise<Set<string>> {
  const [jobs, archivedJobs, messages, archived] = await Promise.all([
    snapshot.list('job'),
    snapshot.list('job', { archived: true }),
    snapshot.list('message'),
    snapshot.list('message', { archived: true }),
  ]);
  const keys = new Set<string>();
  for (const r of [...jobs.records, ...archivedJobs.records, ...messages.records, ...archived.records]) {
    if (r.imported) keys.add(r.imported.key);
  }
  return keys;
}
