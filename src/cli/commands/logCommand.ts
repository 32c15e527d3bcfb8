import { UsageError } from '../../errors/index.js';
import { fleetLog } from '../../fleet/fleetLog.js';
import { parseTimeArg } from '../../util/parseTimeArg.js';
import { commaList } from '../commaList.js';
import { formatTable } from '../formatTable.js';
import { terminalText } from '../terminalText.js';
import { defineCommand } from '../GitfleetCommand.js';

export const logCommand = defineCommand({
  command: 'log',
  describe: 'Who changed what: the history of the fleet repository, newest first',
  builder: (y) =>
    y
      .option('by', { type: 'string', describe: 'Only changes by this server id, op:<operator> or commit author name (--server works too)' })
      .option('path', {
        type: 'string',
        array: true,
        coerce: commaList,
        describe: 'Only changes under this path (e.g. status/web-01.json or jobs/; repeatable, or a,b)',
      })
      .option('since', { type: 'string', describe: 'Since a time: 2h, 7d, or 2026-11-01' })
      .option('until', { type: 'string', describe: 'Until a time: 1h, or 2026-11-02T12:00:00Z' })
      .option('limit', { type: 'number', default: 50, describe: 'At most this many entries' })
      .option('files', { type: 'boolean', default: false, describe: 'List the changed files of each entry' })
      .example('$0 log --by web-01 --since 2h --files', 'what web-01 changed in the last two hours'),
  async run(ctx, argv) {
    const time = (flag: string, value: string | undefined) => {
      if (value === undefined) return undefined;
      const date = parseTimeArg(value);
      if (!date) throw new UsageError(`--${flag} ${JSON.stringify(value)} is not a time`, { hint: 'use a duration like 2h or 7d, or a date like 2026-11-01' });
      return date;
    };
    if (!Number.isInteger(argv.limit) || argv.limit < 1 || argv.limit > 10_000) {
      throw new UsageError(`--limit must be a whole number from 1 to 10000`);
    }
    // --server here names whose changes to show. ctx.args holds the flags only, so a
    // server id configured for the local agent does not silently filter the log.
    const actor = argv.by ?? ctx.args.server;
    const since = time('since', argv.since);
    const until = time('until', argv.until);
    const entries = await fleetLog(ctx.openFleet().store, {
      limit: argv.limit,
      ...(actor ? { actor } : {}),
      ...(argv.path ? { paths: argv.path.map((p) => p.replace(/^\.?\//, '')) } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    });
    if (ctx.json) {
      ctx.printJson(entries);
      return;
    }
    if (entries.length === 0) {
      ctx.io.out('no changes match');
      return;
    }
    if (!argv.files) {
      ctx.io.out(
        formatTable(entries, [
          { header: 'TIME', value: (e) => ctx.time(e.time) },
          { header: 'COMMIT', value: (e) => e.commit.slice(0, 10) },
          { header: 'BY', value: (e) => e.actor },
          { header: 'FILES', value: (e) => String(e.files.length), align: 'right' },
          { header: 'CHANGE', value: (e) => e.summary, max: 80 },
        ]),
      );
      return;
    }
    // One line per field: a newline in a summary, an actor or a path (git allows one in
    // a file name) must not forge an entry or hide the files of one.
    for (const e of entries) {
      ctx.io.out(`${ctx.time(e.time)}  ${e.commit.slice(0, 10)}  ${terminalText(e.actor)}  ${terminalText(e.summary)}`);
      for (const f of e.files) ctx.io.out(`    ${f.status} ${terminalText(f.path)}`);
    }
  },
});
