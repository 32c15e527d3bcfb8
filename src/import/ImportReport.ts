/**
 * One line of an import's report: a source (a file, or an entry of a shared file, as
 * `coordination/jobs.json#job_1`) and what became of it.
 * - `imported`: written as `target` (or, in a dry run, would be);
 * - `present`: `target` (or a record imported from the same source) is there already: left alone;
 * - `skipped`: not imported, `reason` says why (invalid JSON, a duplicate id, a secret, ...);
 * - `reported`: a part of Build gitfleet has no record for (locks, heartbeat branches).
 * `note` says what was changed on the way (an id mapped, a time assumed UTC, a body cut).
 */
export interface ReportLine {
  source: string;
  outcome: 'imported' | 'present' | 'skipped' | 'reported';
  target?: string;
  reason?: string;
  note?: string;
}

export interface ImportReport {
  /** True when nothing was written (--dry-run). */
  dryRun: boolean;
  /** The commit the import made, or null (nothing to write, or a dry run). */
  commit: string | null;
  counts: Record<ReportLine['outcome'], number>;
  lines: ReportLine[];
}

export function countLines(lines: readonly ReportLine[]): ImportReport['counts'] {
  const counts = { imported: 0, present: 0, skipped: 0, reported: 0 };
  for (const l of lines) counts[l.outcome]++;
  return counts;
}
