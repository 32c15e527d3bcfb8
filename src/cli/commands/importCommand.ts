import path from 'node:path';
import { openFleet } from '../../config/openFleet.js';
import { UsageError } from '../../errors/index.js';
import type { ImportReport, ReportLine } from '../../import/ImportReport.js';
import { importBuild } from '../../import/importBuild.js';
import { isSafeBranchName } from '../../git/RemoteSpec.js';
import type { CommandContext } from '../CommandContext.js';
import { defineCommand } from '../GitfleetCommand.js';
import { plural } from '../plural.js';

const HEADINGS: Record<ReportLine['outcome'], string> = {
  imported: 'imported',
  present: 'already there (left alone)',
  skipped: 'not imported',
  reported: 'not imported (no gitfleet record for it)',
};

export const importCommand = defineCommand({
  command: 'import <system>',
  describe: 'Import another fleet system into gitfleet records in one commit (Build: servers, messages, jobs), with a report',
  builder: (y) =>
    y
      .positional('system', { choices: ['build'] as const, demandOption: true, describe: 'The system the fleet comes from' })
      .option('from', { type: 'string', describe: 'Read the Build tree from this repository (a path or URL; default: the fleet repository itself)' })
      .option('from-branch', { type: 'string', default: 'main', describe: 'The branch of --from to read' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Show the report; write nothing' })
      .example('$0 import build --dry-run', 'what an import of this Build repository would write')
      .example('$0 import build --from ../Build', 'import a Build checkout into the fleet repository'),
  async run(ctx, argv) {
    const fleet = ctx.openFleet();
    let source = fleet.store;
    if (argv.from !== undefined) {
      if (!isSafeBranchName(argv['from-branch']))
        throw new UsageError(`--from-branch ${JSON.stringify(argv['from-branch'].slice(0, 80))} is not a valid branch name`);
      const from = /^[a-z][a-z0-9+.-]*:\/\/|^[^/]+@[^/]+:/i.test(argv.from) ? argv.from : path.resolve(argv.from);
      // Another repository through the store like any fleet, with its own cache; the
      // fleet's token is not sent to it (it may be another host): git's credential helpers still apply.
      const other = openFleet({ ...ctx.config, repo: from, branch: argv['from-branch'], token: undefined }, { actor: ctx.operatorActor(), logger: ctx.logger });
      source = other.store;
      try {
        return await report(ctx, await importBuild(fleet.store, { source, dryRun: argv['dry-run'] }));
      } finally {
        await other.close();
      }
    }
    return report(ctx, await importBuild(fleet.store, { source, dryRun: argv['dry-run'] }));
  },
});

async function report(ctx: CommandContext, r: ImportReport): Promise<number> {
  if (ctx.json) {
    ctx.printJson(r);
    return 0;
  }
  for (const outcome of ['imported', 'present', 'skipped', 'reported'] as const) {
    const lines = r.lines.filter((l) => l.outcome === outcome);
    if (lines.length === 0) continue;
    ctx.io.out(`${HEADINGS[outcome]}${r.dryRun && outcome === 'imported' ? ' (dry run: would be)' : ''}:`);
    for (const l of lines) {
      const target = l.target ? ` -> ${l.target}` : '';
      const why = l.reason ? `: ${l.reason}` : '';
      ctx.io.out(`  ${l.source}${target}${why}${l.note ? `  (${l.note})` : ''}`);
    }
  }
  const c = r.counts;
  const summary = `${plural(c.imported, 'record')} ${r.dryRun ? 'would be imported' : 'imported'}, ${c.present} already there, ${c.skipped} not imported, ${c.reported} reported`;
  if (r.dryRun) ctx.io.out(`${summary} (dry run: nothing written)`);
  else if (r.commit) ctx.io.out(`${summary}; commit ${r.commit.slice(0, 10)}`);
  else ctx.io.out(`${summary}; nothing to change (already imported), no commit`);
  return 0;
}
