import type { Store } from '../store/Store.js';
import { countLines, type ImportReport, type ReportLine } from './ImportReport.js';
import { importPlan } from './importPlan.js';
import { parseBuildTree } from './parseBuildTree.js';
import { readBuildTree } from './readBuildTree.js';

export interface ImportBuildOptions {
  /** Where the Build tree is read: the fleet's own store (the default) or a store on another remote (--from). */
  source: Store;
  dryRun: boolean;
  now?: () => Date;
}

/**
 * `gitfleet import build`: reads the Build tree at the source's head, maps it
 * (parseBuildTree) and writes the records into `target` in one transaction (importPlan),
 * or with `dryRun` only runs the plan on the target's head to say what it would write.
 */
export async function importBuild(target: Store, options: ImportBuildOptions): Promise<ImportReport> {
  const now = options.now ?? (() => new Date());
  const [snapshot, branches] = await Promise.all([options.source.snapshot(), options.source.remoteBranches()]);
  const tree = await readBuildTree(snapshot, branches);
  const parsed = parseBuildTree(tree, now());
  const plan = importPlan(parsed.records);
  let lines: ReportLine[];
  let commit: string | null = null;
  if (options.dryRun) {
    const result = await plan(await target.snapshot(), { attempt: 1, now: now() });
    lines = (result && 'value' in result ? result.value : undefined) ?? [];
  } else {
    const result = await target.transact(
      `import build: ${parsed.records.statuses.length} servers, ${parsed.records.jobs.length} jobs, ${parsed.records.messages.length} messages`,
      plan,
    );
    lines = ('value' in result ? result.value : undefined) ?? [];
    if (result.status === 'committed') commit = result.commit;
  }
  const all = [...lines, ...parsed.lines];
  return { dryRun: options.dryRun, commit, counts: countLines(all), lines: all };
}
