import { validateFleet } from '../../fleet/validateFleet.js';
import { BUILD_HINT } from '../../import/looksLikeBuild.js';
import { defineCommand } from '../GitfleetCommand.js';
import { plural } from '../plural.js';
import { terminalText } from '../terminalText.js';

/** Exit status when invalid records are found (documented in README.md). */
export const EXIT_INVALID_RECORDS = 3;

export const validateCommand = defineCommand({
  command: 'validate',
  describe: 'Check every record of the fleet repository against its schema and path rules',
  builder: (y) =>
    y
      .option('strict', { type: 'boolean', default: false, describe: 'Also fail on warnings (references to missing records)' })
      .example('$0 validate --strict', 'fail on invalid records and on dangling references'),
  async run(ctx, argv) {
    const fleet = ctx.openFleet();
    const report = await validateFleet(await fleet.store.snapshot(), { remoteUrl: fleet.remote.url });
    // A Build repository is not a broken fleet: say what it is, in one line, and fail.
    const failed = report.foreign !== undefined || report.errors.length > 0 || (argv.strict && report.warnings.length > 0);
    if (ctx.json) {
      ctx.printJson({ ok: !failed, ...report, ...(report.foreign ? { hint: BUILD_HINT } : {}) });
    } else if (report.foreign) {
      ctx.io.out(`${fleet.remote.url}: ${BUILD_HINT}`);
    } else {
      const c = report.counts;
      ctx.io.out(
        `${fleet.remote.url} at ${report.commit?.slice(0, 10)}: ${plural(c.status, 'status record')}, ${plural(c.jobs, 'job')} (${c.archivedJobs} archived), ${plural(c.messages, 'message')} (${c.archived} archived), ${plural(c.receipts, 'receipt file')}, fleet.json ${report.fleet === 'invalid' ? 'present but invalid' : report.fleet}`,
      );
      for (const e of report.errors) ctx.io.out(`invalid  ${terminalText(e.path)}: ${terminalText(e.reason)}`);
      for (const w of report.warnings) ctx.io.out(`warning  ${terminalText(w.path)}: ${terminalText(w.reason)}`);
      ctx.io.out(
        failed
          ? `${report.errors.length} invalid, ${plural(report.warnings.length, 'warning')}`
          : `all records valid${report.warnings.length ? ` (${plural(report.warnings.length, 'warning')})` : ''}`,
      );
    }
    return failed ? EXIT_INVALID_RECORDS : 0;
  },
});
