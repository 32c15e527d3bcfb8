import os from 'node:os';
import path from 'node:path';
import { Coordinator, type TickReport } from '../../coordinator/Coordinator.js';
import { runCoordinatorLoop } from '../../coordinator/runCoordinatorLoop.js';
import { ConfigError } from '../../errors/index.js';
import { NotificationRunner } from '../../notify/NotificationRunner.js';
import { isValidId } from '../../store/recordPaths.js';
import { createLogger } from '../../util/logger.js';
import { rotatingFileWriter } from '../../util/rotatingFileWriter.js';
import { defineCommand } from '../GitfleetCommand.js';

/** A coordinator reads every job and status: give it room to keep them parsed. */
const COORDINATOR_CACHE_BYTES = 256 * 1024 * 1024;

export const coordinatorCommand = defineCommand({
  command: 'coordinator',
  describe: "Assign queued jobs, fail over dead servers' jobs, hold the coordinator lease (run two for a standby)",
  builder: (y) =>
    y
      .option('once', { type: 'boolean', default: false, describe: 'One tick, then exit (for cron)' })
      .option('name', { type: 'string', describe: "This coordinator's name in the lease (default: the server id or host name)" })
      .option('log-file', { type: 'string', describe: 'Append the log to this file (rotated at 1 MiB) instead of stderr' })
      .example('$0 coordinator --once --json', 'one tick from cron, its report as JSON'),
  async run(ctx, argv) {
    const holder = argv.name ?? ctx.config.server ?? hostId();
    if (!isValidId(holder))
      throw new ConfigError(`coordinator name ${JSON.stringify(String(holder).slice(0, 70))} is not a valid id`, {
        hint: 'pass --name <id> (lowercase letters, digits and -)',
      });
    const logger = createLogger({
      level: ctx.config.log.level,
      format: ctx.config.log.format,
      base: { coordinator: holder },
      ...(argv['log-file'] ? { write: rotatingFileWriter(path.resolve(argv['log-file'])) } : { write: (l: string) => ctx.io.err(l) }),
    });
    const actor = holder;
    const fleet = ctx.openFleet(actor, { recordCacheBytes: COORDINATOR_CACHE_BYTES });
    // Webhooks are posted beside the ticks, never inside one: a slow or silent webhook
    // must not hold up assignments or the renewal of the lease.
    const notifier = new NotificationRunner(
      { store: fleet.store, remoteUrl: fleet.remote.url, notify: fleet.config.file.notify },
      { actor, logger, env: ctx.env },
    );
    const coordinator = new Coordinator({
      store: fleet.store,
      holder,
      remoteUrl: fleet.remote.url,
      logger,
      stateFile: path.join(ctx.config.dataDir, 'coordinator', `${path.basename(fleet.cacheDir)}-${holder}.json`),
      afterTick: async (_report, settings) => {
        if (settings.webhooks.length > 0) notifier.start();
      },
    });
    await coordinator.restore();
    if (argv.once) {
      const report = await coordinator.tick();
      if (ctx.json) ctx.printJson(report);
      else ctx.io.out(describe(report));
      // The tick is committed; the round it started ends within notify.roundSeconds.
      await notifier.idle();
      return 0;
    }
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    logger.info('coordinator.started', { holder });
    await runCoordinatorLoop(coordinator, { signal: controller.signal, remoteUrl: fleet.remote.url });
    await notifier.close();
    logger.info('coordinator.stopped', { holder });
    return 0;
  },
});

function hostId(): string {
  const name = os
    .hostname()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return `coord-${name || 'host'}`;
}

function describe(r: TickReport): string {
  if (r.role === 'standby') return `standby: ${r.holder} holds the lease (epoch ${r.epoch})`;
  if (r.role === 'lost') return 'lost the lease to another coordinator during the tick; nothing written';
  const d = r.decisions;
  const what = [
    `${d.assign} assigned`,
    `${d.lose} failed over`,
    `${d.refuse} refused`,
    `${d.cancel} cancelled`,
    `${d.dead} dead`,
    `${d.archive} archived`,
  ].join(', ');
  return `${r.role === 'take' ? 'took the lease' : 'leader'}: ${what}; ${r.waiting} waiting${r.canFailOver ? '' : ' (failover waits for one dead window after taking over)'}`;
}
