import { UsageError } from '../../errors/index.js';
import { compactHistory } from '../../fleet/compactHistory.js';
import { parseTimeArg } from '../../util/parseTimeArg.js';
import { defineCommand } from '../GitfleetCommand.js';
import { plural } from '../plural.js';

export const compactCommand = defineCommand({
  command: 'compact',
  describe: 'Fold old history into one snapshot commit (same content; needs force-push rights; running agents recover)',
  builder: (y) =>
    y
      .option('older-than', { type: 'string', describe: 'Fold history older than this (e.g. 7d)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Say what would be folded; change nothing' })
      .example('$0 compact --older-than 30d --dry-run', 'how much history older than 30 days would be folded'),
  async run(ctx, argv) {
    const text = argv['older-than'];
    if (!text) throw new UsageError('say how much history to keep', { hint: 'e.g. gitfleet compact --older-than 7d' });
    const before = parseTimeArg(text);
    if (!before) throw new UsageError(`--older-than ${JSON.stringify(text)} is not a duration or a date`, { hint: 'e.g. 7d, 12h or 2026-11-01' });
    const fleet = ctx.openFleet();
    const result = await compactHistory(fleet.store, { before, dryRun: argv['dry-run'], logger: ctx.logger });
    if (ctx.json) {
      ctx.printJson(result);
      return;
    }
    switch (result.status) {
      case 'nothing-to-compact':
        ctx.io.out(`nothing older than ${ctx.time(before.getTime())} to fold (${plural(result.kept, 'commit')} on the branch)`);
        break;
      case 'dry-run':
        ctx.io.out(
          `would fold ${plural(result.squashed, 'commit')} older than ${ctx.time(before.getTime())} into one snapshot and keep ${plural(result.kept, 'newer commit')}`,
        );
        break;
      default:
        ctx.io.out(
          `folded ${plural(result.squashed, 'commit')} into one snapshot; kept ${plural(result.kept, 'newer commit')}; head ${result.oldHead.slice(0, 10)} -> ${result.newHead?.slice(0, 10)} (same content)`,
        );
        ctx.io.out('the old objects leave the server at its next garbage collection (git gc on self-hosted servers)');
    }
  },
});
