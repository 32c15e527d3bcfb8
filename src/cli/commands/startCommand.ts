import { existsSync, promises as fs, readdirSync } from 'node:fs';
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
      .option('once', { type: 'boolean', default: false, describe: 'Start, print where everything is, and stop (for checks)' })
      .option('fresh', { type: 'boolean', default: false, describe: 'Start over: delete the data folder of an earlier local fleet first' })
      .example('$0 start --fresh', 'a new local fleet of five simulated servers'),
  async run(ctx, argv) {
    // Agents log warnings and errors only: five agents at info level drown the terminal.
    const logger = createLogger({ level: ctx.args.logLevel ? ctx.config.log.level : 'warn', write: (l) => ctx.io.err(l) });
    if (!Number.isInteger(argv.agents) || argv.agents < 0 || argv.agents > 5) throw new UsageError('--agents must be a whole number from 0 to 5');
    const dashboardPort = argv['dashboard-port'];
    if (dashboardPort !== undefined && (!Number.isInteger(dashboardPort) || dashboardPort < 0 || dashboardPort > 65_535))
      throw new UsageError('--dashboard-port must be a whole number from 0 to 65535');
    if (argv.fresh) await removeLocalFleet(argv.dir);
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
      `  data folder       ${local.dataDir} (its state; \`gitfleet start --fresh\` starts over)`,
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
    if (!argv.once) {
      await waitForSignal();
      if (!ctx.json) ctx.io.out(`stopping... (at most ${STOP_LIMIT_S} s)`);
    }
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      local.stop().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), STOP_LIMIT_S * 1000))),
    ]);
    clearTimeout(timer);
    if (!ctx.json)
      ctx.io.out(stopped ? 'stopped' : `stopped after ${STOP_LIMIT_S} s without waiting for the rest (an agent's unsent status waits in its outbox)`);
    // Whatever did not finish in time (a transaction mid-retry, a job) is left behind on purpose.
    if (!stopped) setImmediate(() => process.exit(process.exitCode ?? 0));
  },
});

/** Ctrl-C stops the local fleet within this many seconds, finished or not. */
const STOP_LIMIT_S = 10;

/** Deletes the data folder of an earlier local fleet, and nothing that does not look like one. */
async function removeLocalFleet(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const ours = existsSync(path.join(dir, 'remote', 'fleet.git', 'HEAD'));
  if (!ours && readdirSync(dir).length > 0) {
    throw new UsageError(`--fresh: ${dir} is not the data folder of a local fleet (no remote/fleet.git in it); refusing to delete it`, {
      hint: 'choose another --dir, or delete it yourself',
    });
  }
  await fs.rm(dir, { recursive: true, force: true });
}
