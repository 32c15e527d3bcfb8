import type { Message, ServerStatus } from '../schema/types.js';
import { parseJsonSafely } from '../util/parseJsonSafely.js';
import { BuildActors } from './buildActors.js';
import { BUILD_LIMITS, type BuildFile, type BuildTree, isNotePath, serverFileOf, SHARED_FILES } from './BuildTree.js';
import { decodeText } from './cleanText.js';
import type { ReportLine } from './ImportReport.js';
import { mapIds } from './mapIds.js';
import { draftToMessage, type MessageDraft } from './messageDraft.js';
import { describeLocks } from './describeLocks.js';
import { importedClaimId } from './mapBuildJob.js';
import { type ImportedJob, parseBuildJobs } from './parseBuildJobs.js';
import { parseBuildMessages } from './parseBuildMessages.js';
import { parseBuildStatus } from './parseBuildStatus.js';
import { parseMessageNote } from './parseMessageNote.js';

export interface ImportedRecord<T> {
  source: string;
  record: T;
  notes: string[];
}

export interface ImportRecords {
  statuses: ImportedRecord<ServerStatus>[];
  jobs: ImportedJob[];
  messages: ImportedRecord<Message>[];
}

export interface ParsedBuildTree {
  records: ImportRecords;
  /** What could not be mapped (skipped) and what has no gitfleet record (reported). */
  lines: ReportLine[];
}

const HEARTBEAT_BRANCH = /^(?:backup\/)?heartbeat[-_/](.+)$/;

/**
 * A Build-layout tree as gitfleet records, and a line for everything that did not map.
 * Pure and deterministic: the same tree (and, for messages without a time, the same
 * `now`) gives the same records, which is what makes an import idempotent.
 */
export function parseBuildTree(tree: BuildTree, now: Date): ParsedBuildTree {
  const lines: ReportLine[] = [];
  const records: ImportRecords = { statuses: [], jobs: [], messages: [] };
  const json = (path: string): { value?: unknown } => {
    const read = readFile(tree.files.get(path), path);
    if ('skip' in read) {
      lines.push({ source: path, outcome: 'skipped', reason: read.skip });
      return {};
    }
    const parsed = parseJsonSafely(read.text);
    if (parsed.error !== undefined) {
      lines.push({ source: path, outcome: 'skipped', reason: parsed.error.slice(0, 200) });
      return {};
    }
    return { value: parsed.value };
  };
  const present = new Set(tree.entries.filter((e) => !e.unexpected).map((e) => e.path));
  for (const e of tree.entries) {
    if (e.unexpected && (serverFileOf(e.path) || isNotePath(e.path) || e.path.startsWith('coordination/') || e.path.startsWith('messages/'))) {
      lines.push({ source: e.path, outcome: 'skipped', reason: `not a plain file: ${e.unexpected}` });
    }
  }

  // Servers first: messages and jobs name them.
  const folders = [...new Set([...present].map((p) => serverFileOf(p)?.folder).filter((f): f is string => f !== undefined))].sort();
  const serverIds = mapIds(folders);
  const actors = new BuildActors(serverIds);
  for (const folder of folders) {
    const server = serverIds.get(folder)!;
    const status = present.has(`${folder}/status.json`) ? json(`${folder}/status.json`).value : undefined;
    const heartbeat = present.has(`${folder}/heartbeat.json`) ? json(`${folder}/heartbeat.json`).value : undefined;
    // Neither file could be read: the lines above say why.
    if (status === undefined && heartbeat === undefined) continue;
    const parsed = parseBuildStatus({ folder, server, status, heartbeat });
    // Named after the file the record came from: heartbeat.json when status.json could not be read.
    const source = `${folder}/${status !== undefined ? 'status' : 'heartbeat'}.json`;
    if ('skip' in parsed) lines.push({ source, outcome: 'skipped', reason: parsed.skip });
    else
      records.statuses.push({
        source,
        record: parsed.record,
        notes: folder !== server ? [`folder ${JSON.stringify(folder)} is not a DNS label: server ${server}`, ...parsed.notes] : parsed.notes,
      });
  }

  if (present.has(SHARED_FILES.jobs)) {
    const { value } = json(SHARED_FILES.jobs);
    if (value !== undefined) {
      const parsed = parseBuildJobs(value, actors, SHARED_FILES.jobs);
      lines.push(...parsed.lines);
      records.jobs.push(...parsed.jobs.slice(0, BUILD_LIMITS.sharedEntries));
      if (parsed.jobs.length > BUILD_LIMITS.sharedEntries)
        lines.push({ source: SHARED_FILES.jobs, outcome: 'skipped', reason: `more than ${BUILD_LIMITS.sharedEntries} jobs: the rest were left out` });
    }
  }

  const drafts: MessageDraft[] = [];
  if (present.has(SHARED_FILES.messages)) {
    const { value } = json(SHARED_FILES.messages);
    if (value !== undefined) {
      const parsed = parseBuildMessages(value, SHARED_FILES.messages);
      lines.push(...parsed.lines);
      drafts.push(...parsed.drafts.slice(0, BUILD_LIMITS.sharedEntries));
    }
  }
  const notes = [...present].filter(isNotePath).sort();
  for (const path of notes.slice(0, BUILD_LIMITS.notes)) {
    const file = tree.files.get(path);
    if (file === undefined || !(file instanceof Uint8Array)) {
      lines.push({ source: path, outcome: 'skipped', reason: file ? `larger than ${BUILD_LIMITS.noteBytes} bytes (${file.tooLarge})` : 'not read' });
      continue;
    }
    const draft = parseMessageNote(path, file);
    if (draft) drafts.push(draft);
    else lines.push({ source: path, outcome: 'skipped', reason: 'not UTF-8 text (a binary file?)' });
  }
  if (notes.length > BUILD_LIMITS.notes)
    lines.push({ source: 'messages/', outcome: 'skipped', reason: `more than ${BUILD_LIMITS.notes} notes: the rest were left out` });
  for (const p of present) {
    if (p.startsWith('messages/') && !isNotePath(p) && !/^messages\/(README\.md|\.gitkeep)$/.test(p) && !/^messages\/[^/]+\.json$/.test(p)) {
      lines.push({ source: p, outcome: 'skipped', reason: 'not a note (messages/*.txt): not read' });
    }
  }
  const ids = new Set<string>();
  for (const draft of drafts) {
    const parsed = draftToMessage(draft, actors, now);
    if ('skip' in parsed) lines.push({ source: draft.key, outcome: 'skipped', reason: parsed.skip });
    else if (ids.has(parsed.record.id)) lines.push({ source: draft.key, outcome: 'skipped', reason: 'same message id as another source' });
    else {
      ids.add(parsed.record.id);
      records.messages.push({ source: draft.key, ...parsed });
    }
  }

  linkRunningJobs(records);
  if (present.has(SHARED_FILES.locks)) {
    const { value } = json(SHARED_FILES.locks);
    if (value !== undefined) lines.push({ source: SHARED_FILES.locks, outcome: 'reported', reason: describeLocks(value) });
  }
  for (const branch of tree.branches) {
    const m = HEARTBEAT_BRANCH.exec(branch);
    if (!m) continue;
    const server = actors.server(m[1]!);
    lines.push({
      source: `branch ${branch}`,
      outcome: 'reported',
      reason: `Build heartbeats${server ? ` of ${server}` : ''}: gitfleet keeps each server's heartbeat in status/<server>.json; the branch is left alone (delete it when Build is retired)`,
    });
  }
  return { records, lines };
}

/** A Build server building a job that is imported as running holds that attempt in its status. */
function linkRunningJobs(records: ImportRecords): void {
  for (const { record } of records.statuses) {
    const current = record.imported?.currentJob;
    const job = records.jobs.find(
      (j) => j.job.state === 'running' && j.job.imported?.key.endsWith(`#${current}`) && j.job.assignment?.server === record.server,
    );
    if (!current || !job?.job.assignment) continue;
    const original = job.job.imported?.id ?? job.job.id;
    record.jobs = {
      running: [
        {
          id: job.job.id,
          attempt: 1,
          claimId: importedClaimId(original),
          ...(job.job.assignment.startedAt ? { startedAt: job.job.assignment.startedAt } : {}),
        },
      ],
    };
  }
}

function readFile(file: BuildFile | undefined, path: string): { text: string } | { skip: string } {
  if (file === undefined) return { skip: 'not read' };
  if (!(file instanceof Uint8Array))
    return {
      skip: `larger than the ${path.startsWith('coordination/') ? BUILD_LIMITS.sharedFileBytes : BUILD_LIMITS.serverFileBytes} bytes read (${file.tooLarge})`,
    };
  const text = decodeText(file);
  return text === null ? { skip: 'not UTF-8 text' } : { text };
}
