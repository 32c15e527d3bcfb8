import { sendNotifications } from '../../notify/sendNotifications.js';
import { defineCommand } from '../GitfleetCommand.js';

export const notifyCommand = defineCommand({
  command: 'notify',
  describe:
    "Post pending events (critical messages, dead servers, dead jobs) once to each fleet.json webhook, at its destination in this machine's config (notify)",
  builder: (y) =>
    y
      .option('dry-run', { type: 'boolean', default: false, describe: 'List what would be sent' })
      .example('$0 notify --dry-run', 'what each webhook would be sent now'),
  async run(ctx, argv) {
    const fleet = ctx.openFleet();
    const reports = await sendNotifications(
      { store: fleet.store, remoteUrl: fleet.remote.url, notify: fleet.config.file.notify },
      { actor: ctx.operatorActor(), env: ctx.env, logger: ctx.logger, dryRun: argv['dry-run'] },
    );
    if (ctx.json) {
      ctx.printJson(reports);
    } else if (reports.length === 0) {
      ctx.io.out('no webhooks in fleet.json');
    } else {
      for (const r of reports) {
        if (r.skipped) ctx.io.out(`${r.webhook}: skipped (${r.skipped})`);
        else
          ctx.io.out(
            `${r.webhook}: ${argv['dry-run'] ? 'would send' : 'sent'} ${r.sent.length}${r.failed.length ? `, ${r.failed.length} failed (retried next time)` : ''}`,
          );
      }
    }
    return reports.some((r) => r.failed.length > 0) ? 5 : 0;
  },
});
