import { UsageError } from '../../errors/index.js';
import { drainPlan, failoverPlan } from '../../jobs/operatorPlans.js';
import { isValidId } from '../../store/recordPaths.js';
import { defineCommand } from '../GitfleetCommand.js';
import { plural } from '../plural.js';
import { raiseIfRefused } from './raiseIfRefused.js';

function serverArg(value: unknown): string {
  const server = String(value ?? '');
  if (!isValidId(server))
    throw new UsageError(`${JSON.stringify(String(server).slice(0, 70))} is not a server id`, {
      hint: 'a server id is a DNS label: lowercase letters, digits and -',
    });
  return server;
}

function drainToggle(drain: boolean) {
  return defineCommand({
    command: `${drain ? 'drain' : 'undrain'} <server>`,
    describe: drain ? 'Give a server no new jobs; it finishes the ones it has' : 'Let a drained server take jobs again',
    builder: (y) =>
      y
        .positional('server', { type: 'string', demandOption: true, describe: drain ? 'The server to drain (its id)' : 'The drained server (its id)' })
        .example(drain ? '$0 drain web-01' : '$0 undrain web-01', drain ? 'web-01 finishes its jobs and takes no new ones' : 'web-01 takes new jobs again'),
    async run(ctx, argv) {
      const server = serverArg(argv.server);
      raiseIfRefused(await ctx.openFleet().store.transact(`${drain ? 'drain' : 'undrain'} ${server}`, drainPlan(server, drain)));
      if (ctx.json) ctx.printJson({ server, draining: drain });
      else ctx.io.out(drain ? `${server}: draining (takes no new jobs)` : `${server}: takes jobs again`);
    },
  });
}

export const drainCommand = drainToggle(true);
export const undrainCommand = drainToggle(false);

export const failoverCommand = defineCommand({
  command: 'failover <server>',
  describe: 'Take every job a server holds back to the queue now, and drain it (a late result from it is rejected)',
  builder: (y) =>
    y
      .positional('server', { type: 'string', demandOption: true, describe: 'The server whose jobs to take back (its id)' })
      .option('drain', { type: 'boolean', default: true, describe: 'Also drain the server (--no-drain to leave it open)' })
      .example('$0 failover web-01', 'requeue the jobs web-01 holds and give it no new ones'),
  async run(ctx, argv) {
    const server = serverArg(argv.server);
    const fleet = ctx.openFleet();
    const result = await fleet.store.transact(
      `failover ${server}`,
      failoverPlan(server, ctx.operatorActor(), { drain: argv.drain, remoteUrl: fleet.remote.url }),
    );
    raiseIfRefused(result);
    const ids = ('value' in result ? result.value : undefined) ?? [];
    if (ctx.json) ctx.printJson({ server, requeued: ids, drained: argv.drain });
    else ctx.io.out(`${server}: ${plural(ids.length, 'job')} taken back${ids.length ? ` (${ids.join(', ')})` : ''}${argv.drain ? '; drained' : ''}`);
  },
});
