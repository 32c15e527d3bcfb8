import type { Job } from '../schema/types.js';
import type { BuildActors } from './buildActors.js';
import { field, textOf } from './cleanText.js';
import type { ReportLine } from './ImportReport.js';
import { mapIds } from './mapIds.js';
import { mapBuildJob } from './mapBuildJob.js';

export interface ImportedJob {
  source: string;
  job: Job;
  /** Finished jobs go to the archive of this month (YYYY-MM). */
  archiveMonth?: string;
  notes: string[];
}

/** The entries of coordination/jobs.json: {jobs: [...]}, a bare array, or an object keyed by id. */
export function jobEntries(value: unknown): { key: string; entry: unknown }[] | null {
  const list = isObject(value) && 'jobs' in value ? value.jobs : value;
  if (Array.isArray(list)) return list.map((entry, i) => ({ key: String(textOf(field(entry, 'id', 'job_id')) ?? `[${i}]`), entry }));
  if (isObject(list)) return Object.entries(list).map(([key, entry]) => ({ key: String(textOf(field(entry, 'id', 'job_id')) ?? key), entry }));
  return null;
}

/**
 * Build's jobs as gitfleet jobs (each mapped by mapBuildJob, which says how states map),
 * their ids mapped over the whole file (mapIds). Entries that are not objects or have no
 * id, and later duplicates of an id, are skipped with the reason.
 */
export function parseBuildJobs(value: unknown, actors: BuildActors, file: string): { jobs: ImportedJob[]; lines: ReportLine[] } {
  const lines: ReportLine[] = [];
  const jobs: ImportedJob[] = [];
  const entries = jobEntries(value);
  if (!entries) return { jobs, lines: [{ source: file, outcome: 'skipped', reason: 'neither a list of jobs nor {"jobs": [...]}' }] };
  const seen = new Set<string>();
  const ids = mapIds(entries.filter((e) => isObject(e.entry) && textOf(field(e.entry, 'id', 'job_id')) !== null).map((e) => e.key));
  for (const { key, entry } of entries) {
    const source = `${file}#${key}`;
    if (!isObject(entry)) {
      lines.push({ source, outcome: 'skipped', reason: 'not a JSON object' });
      continue;
    }
    if (textOf(field(entry, 'id', 'job_id')) === null) {
      lines.push({ source, outcome: 'skipped', reason: 'no id' });
      continue;
    }
    if (seen.has(key)) {
      lines.push({ source, outcome: 'skipped', reason: 'duplicate id: the first job with this id was imported' });
      continue;
    }
    seen.add(key);
    const parsed = mapBuildJob(entry, key, ids.get(key)!, actors, file);
    if ('skip' in parsed) lines.push({ source, outcome: 'skipped', reason: parsed.skip });
    else jobs.push({ source, ...parsed });
  }
  return { jobs, lines };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
