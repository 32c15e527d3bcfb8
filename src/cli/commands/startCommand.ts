import path from 'node:path';
import { UsageError } from '../../errors/index.js';
import { startLocalFleet } from '../../local/startLocalFleet.js';
import { createLogger } from '../../util/logger.js';
import { defineCommand } from '../GitfleetCommand.js';
import { waitForSignal } from '../waitForSignal.js';

export const startCommand = defineCommand({
  command: 'start',
  describe: 'Run a whole fleet locally: a fleet repository served on loopback (npm start)',
  builder: (y) =>
    y
      .option('port', { type: 'number', describe: 'Port of the local git server (default 8470, or a free one)' })
      .option('dashboard-port', { type: 'number', describe: 'Port of the dashboard (default 8480, or a free one)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' })
      .option('dir', { type: 'string', default: '.gitfleet-local', describe: 'Data folder of the local fleet' })
      .option('agents', { type: 'number', default: 5, describe: 'How many simulated agents to run (0 to 5)' })
      .option('once', { type: 'boolean', default: false, describe: 'Start, print where everything is, and stop (for checks)' }),
  async run(ctx, argv) {
    // Agents log warnings and errors only: five agents at info level drown the terminal.
    const logger = createLogger({ level: ctx.args.logLevel ? ctx.config.log.level : 'warn', write: (l) => ctx.io.err(l) });
    if (!Number.isInteger(argv.agents) || argv.agents < 0 || argv.agents > 5) throw new UsageError('--agents must be a whole number from 0 to 5');
    const dashboardPort = argv['dashboard-port'];
    if (dashboardPort !== undefined && (!Number.isInteger(dashboardPort) || dashboardPort < 0 || dashboardPort > 65_535)) throw new UsageError('--dashboard-port must be a whole number from 0 to 65535');
    const local = await startLocalFleet({
      agents: argv.agents,
      ...(argv.once || ctx.json ? {} : { demo: (line: string) => ctx.io.out(`${new Date().toISOString().slice(11, 19)}  ${line}`) }),
      dataDir: argv.dir,
      host: argv.host,
      ...(argv.port !== undefined ? { port: argv.port } : {}),
      ...(dashboardPort !== undefined ? { dashboardPort } : {}),
      logger,
    });
    const cli = `node ${path.relative(process.cwd(), process.argv[1] ?? 'dist/gitfleet.js') || 'dist/gitfleet.js'}`;
    const lines = [
      'gitfleet local fleet is running',
      `  fleet repository  ${local.repoUrl}`,
      `  data folder       ${local.dataDir}`,
      `  simulated agents  ${local.servers.join(', ') || 'none'} (each runs the demo.build and demo.test job kinds)`,
      '  coordinator       local-coordinator (assigns jobs, fails over dead servers)',
      '',
      ...(local.dashboardUrl ? [`dashboard: ${local.dashboardUrl}`, ''] : []),
      'Try, in another terminal:',
      `  export GITFLEET_REPO=${local.repoUrl}`,
      `  ${cli} status --watch`,
      `  ${cli} validate`,
      `  ${cli} msg list --server web-01`,
      `  ${cli} job list`,
      `  ${cli} job stats`,
      `  ${cli} job submit demo.build -p seconds=3 -p target=mine`,
      `  ${cli} log --files`,
      '',
      argv.once ? 'Stopping (--once).' : 'Press Ctrl-C to stop.',
    ];
    if (ctx.json) ctx.printJson({ repo: local.repoUrl, dashboard: local.dashboardUrl, dataDir: local.dataDir, agents: local.servers });
    else ctx.io.out(lines.join('\n'));
    if (!argv.once) await waitForSignal();
    await local.stop();
    if (!ctx.json) ctx.io.out('stopped');
  },
});
