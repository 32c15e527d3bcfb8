import { UsageError } from '../../errors/index.js';
import { readFleetBudget } from '../../fleet/readFleetBudget.js';
import { DEFAULT_AGENT_POLL_SECONDS } from '../../settings/budgetProjection.js';
import { defineCommand } from '../GitfleetCommand.js';
import { formatTable } from '../formatTable.js';
import { terminalText } from '../terminalText.js';

/** Exit status of `budget --check` when a limit is near or crossed: 2, as the doctor's failed setting checks. */
export const EXIT_OVER_BUDGET = 2;

const STATE_TEXT = { ok: 'within the limits', near: 'NEAR a limit', over: 'OVER a limit' } as const;

export const budgetCommand = defineCommand({
  command: 'budget',
  describe: "Projected pushes a minute and git reads a second of the whole fleet, writer by writer, against the host's limits",
  builder: (y) =>
    y
      .option('check', { type: 'boolean', default: false, describe: `Exit ${EXIT_OVER_BUDGET} when the projection is near or over a limit (for CI and cron)` })
      .option('poll-seconds', {
        type: 'number',
        default: DEFAULT_AGENT_POLL_SECONDS,
        describe: 'How often the agents poll for jobs (jobs.pollSeconds of their config): each poll is a git read',
      })
      .option('coordinators', { type: 'number', default: 1, describe: 'Coordinator processes running (each reads once a tick)' })
      .example('$0 budget --check', 'exit 2 when the fleet is about to cross the host limits'),
  async run(ctx, argv) {
    const poll = argv['poll-seconds'];
    if (!Number.isFinite(poll) || poll < 1 || poll > 86_400) throw new UsageError(`--poll-seconds ${poll} is not a number of seconds from 1 to 86400`);
    const coordinators = argv.coordinators;
    if (!Number.isInteger(coordinators) || coordinators < 1 || coordinators > 100)
      throw new UsageError(`--coordinators ${coordinators} is not a whole number from 1 to 100`);
    const fleet = ctx.openFleet();
    const b = await readFleetBudget(fleet.store, { remoteUrl: fleet.remote.url, agentPollSeconds: poll, coordinators });
    if (ctx.json) ctx.printJson(b);
    else {
      ctx.io.out(
        formatTable(b.lines, [
          { header: 'WRITER', value: (l) => l.writer },
          { header: 'PUSHES/MIN', value: (l) => String(l.pushesPerMinute), align: 'right' },
          { header: 'READS/S', value: (l) => String(l.readsPerSecond), align: 'right' },
          { header: 'BASIS', value: (l) => l.basis, max: 120 },
        ]),
      );
      ctx.io.out(
        `total: ${b.pushesPerMinute} pushes/min (budget ${b.budget}, host ${b.host.pushesPerMinute}), ${b.readsPerSecond} reads/s (host ${b.host.readsPerSecond}) for ${b.servers} server${b.servers === 1 ? '' : 's'}: ${STATE_TEXT[b.state]}`,
      );
      ctx.io.out(`measured: ${b.measuredPushesPerMinute} commits/min on the branch over the last hour`);
      for (const p of b.problems) ctx.io.err(`gitfleet: warning: ${terminalText(p)}`);
    }
    return argv.check && b.state !== 'ok' ? EXIT_OVER_BUDGET : 0;
  },
});
