import { checkListenAddress } from '../listenAddress.js';
import { UsageError } from '../../errors/index.js';
import { dashboardAssetsDir } from '../../site/dashboardAssets.js';
import { DashboardServer, DEFAULT_DASHBOARD_PORT } from '../../site/DashboardServer.js';
import { parseDuration } from '../../util/duration.js';
import { defineCommand } from '../GitfleetCommand.js';
import { waitForSignal } from '../waitForSignal.js';

export const serveCommand = defineCommand({
  command: 'serve',
  describe: 'Serve the dashboard with live data from the fleet repository, until Ctrl-C',
  builder: (y) =>
    y
      .option('port', { type: 'number', default: DEFAULT_DASHBOARD_PORT, describe: 'Port to listen on (0 for any free one)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on (0.0.0.0 shows the fleet to the network)' })
      .option('poll', { type: 'string', default: '5s', describe: 'How often to fetch the fleet repository for new commits (1s to 1h)' })
      .option('title', { type: 'string', describe: "Shown in the dashboard's header (default: the fleet's name)" })
      .option('source-maps', { type: 'boolean', default: false, describe: "Also serve the dashboard's source maps (for debugging it)" })
      .example('$0 serve --port 8480', 'the dashboard on http://127.0.0.1:8480, Prometheus metrics on /metrics'),
  async run(ctx, argv) {
    checkListenAddress(argv.port, argv.host, { port: 8480, host: '127.0.0.1' });
    const pollMs = parseDuration(argv.poll);
    if (pollMs === null || pollMs < 1_000 || pollMs > 3_600_000)
      throw new UsageError(`--poll ${JSON.stringify(argv.poll.slice(0, 80))} is not a duration from 1s to 1h`, { hint: 'e.g. --poll 5s' });
    if (argv.title !== undefined && (argv.title.length > 100 || /[\u0000-\u001f]/.test(argv.title)))
      throw new UsageError('--title must be one line of at most 100 characters');
    const assetsDir = dashboardAssetsDir();
    const fleet = ctx.openFleet();
    const server = new DashboardServer({
      store: fleet.store,
      remoteUrl: fleet.remote.url,
      assetsDir,
      host: argv.host,
      port: argv.port,
      pollMs,
      sourceMaps: argv['source-maps'],
      logger: ctx.logger,
      ...(argv.title ? { title: argv.title } : {}),
    });
    let url: string;
    try {
      ({ url } = await server.start());
    } catch (error) {
      await server.stop();
      throw listenError(error, argv.host, argv.port);
    }
    if (ctx.json) ctx.printJson({ url });
    else ctx.io.out(`dashboard: ${url}\nmetrics: ${url}metrics\nPress Ctrl-C to stop.`);
    await waitForSignal();
    await server.stop();
    if (!ctx.json) ctx.io.out('stopped');
  },
});

/** The listen failures an operator can fix, as one line each; anything else as it is. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE')
    return new UsageError(`port ${port} on ${host} is already in use`, { hint: 'pick another with --port, or --port 0 for any free one' });
  if (code === 'EACCES') return new UsageError(`not allowed to listen on port ${port}`, { hint: 'ports below 1024 need privileges; pick another with --port' });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new UsageError(`cannot listen on ${host}: not an address of this machine`, { hint: 'e.g. --host 127.0.0.1' });
  return error;
}
