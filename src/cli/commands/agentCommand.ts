import path from 'node:path';
import { AGENT_CACHE_BYTES, createAgent } from '../../config/createAgent.js';
import { openRelayLink } from '../../config/openRelayLink.js';
import { ConfigError, EXIT_CODES, UsageError } from '../../errors/index.js';
import { simulatedCollector } from '../../status/simulatedCollector.js';
import { parseDuration } from '../../util/duration.js';
import { createLogger } from '../../util/logger.js';
import { rotatingFileWriter } from '../../util/rotatingFileWriter.js';
import type { CommandContext } from '../CommandContext.js';
import { defineCommand } from '../GitfleetCommand.js';
import { agentInstallCommand, agentUninstallCommand } from './agentInstallCommands.js';

export const agentCommand = defineCommand({
  command: 'agent',
  describe: "Report this server's status: a daemon, or one run (--once) for cron, systemd timers, Task Scheduler or launchd",
  builder: (y) =>
    y
      .option('once', { type: 'boolean', default: false, describe: "One report, then exit (waits for this server's slot unless --now)" })
      .option('now', { type: 'boolean', default: false, describe: 'With --once: publish at once instead of at the slot' })
      .option('every', { type: 'string', describe: 'How often the scheduler runs --once (e.g. 1m); the default comes from the config' })
      .option('simulate', { type: 'boolean', default: false, describe: 'Report simulated metrics (demos and benchmarks)' })
      .option('relay', {
        type: 'string',
        describe: 'Send heartbeats to this site relay (`gitfleet relay`) and read the fleet through it; token in GITFLEET_RELAY_TOKEN',
      })
      .option('log-file', { type: 'string', describe: 'Append the log to this file (rotated at 1 MiB) instead of stderr' })
      .example('$0 agent --server web-01 --repo https://git.example.com/ops/fleet.git', 'run as a daemon: report every period, run assigned jobs')
      .example('$0 agent --once --now --server web-01', 'one report at once (what a scheduler entry runs, without waiting for the slot)'),
  subcommands: [agentInstallCommand, agentUninstallCommand],
  async run(ctx, argv) {
    const server = ctx.config.server;
    if (!server) {
      throw new ConfigError("the agent needs this server's id", { hint: 'pass --server <id>, set GITFLEET_SERVER, or put "server" in gitfleet.config.json' });
    }
    const config = argv.every === undefined ? ctx.config.agent : { ...ctx.config.agent, everySeconds: seconds(argv.every) };
    const logFile = argv['log-file'] ?? config.logFile;
    const logger = createLogger({
      level: ctx.config.log.level,
      format: ctx.config.log.format,
      base: { server },
      ...(logFile ? { write: rotatingFileWriter(path.resolve(logFile)) } : { write: (l: string) => ctx.io.err(l) }),
    });
    // An agent needs only its current records; a small cache keeps a daemon flat for months.
    const fleet = ctx.openFleet(server, { recordCacheBytes: AGENT_CACHE_BYTES });
    // systeminformation (real metrics) and node-cron (the daemon) are loaded only when used:
    // ~55 ms of a cron agent's start-up otherwise.
    const collector = argv.simulate ? simulatedCollector(server) : (await import('../../status/systemCollector.js')).systemCollector();
    const relayUrl = argv.relay ?? ctx.config.relay;
    const relay = relayUrl ? openRelayLink(ctx.config, server, relayUrl, logger) : undefined;
    if (relay) ctx.closeWithFleets(relay);
    const { agent, jobs } = createAgent({
      server,
      store: fleet.store,
      ...(relay ? { relay } : {}),
      remoteUrl: fleet.remote.url,
      logger,
      collector,
      mode: argv.simulate ? 'simulated' : argv.once ? 'once' : 'daemon',
      once: argv.once,
      stateFile: path.join(config.stateDir, `${path.basename(fleet.cacheDir)}-${server}.json`),
      config,
    });
    const controller = stopOnSignals(ctx);
    if (argv.once) {
      const report = await agent.runOnce({ waitForSlot: !argv.now, signal: controller.signal }).catch((error: unknown) => {
        if (controller.signal.aborted) return null;
        throw error;
      });
      if (!report) return 130;
      if (ctx.json)
        ctx.printJson({
          server,
          pushed: report.pushed,
          reason: report.reason,
          result: report.result?.status ?? null,
          via: report.via ?? null,
          periodSeconds: report.periodSeconds,
          nextSlotAt: new Date(report.nextSlotAt).toISOString(),
        });
      else
        ctx.io.out(
          `${server}: ${report.pushed ? `published (${report.reason})` : report.result?.status === 'queued' ? 'remote unreachable: status kept in the outbox' : report.reason}`,
        );
      const failure = agent.lastError;
      if (failure) {
        ctx.io.err(`gitfleet: ${failure.message}`);
        return EXIT_CODES[failure.code as keyof typeof EXIT_CODES] ?? 1;
      }
      return 0;
    }
    const { runAgentDaemon } = await import('../../agent/runAgentDaemon.js');
    await runAgentDaemon(agent, { logger, signal: controller.signal, ...(jobs ? { jobs } : {}) });
    return 0;
  },
});

function seconds(text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms < 10_000 || ms > 86_400_000)
    throw new UsageError(`--every ${JSON.stringify(text)} is not a duration from 10s to 24h`, { hint: 'e.g. --every 1m' });
  return Math.round(ms / 1000);
}

/** SIGINT/SIGTERM stop the agent gracefully; a second signal exits at once. */
function stopOnSignals(ctx: CommandContext): AbortController {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    ctx.io.err(`gitfleet: ${signal}: stopping after the current cycle`);
    controller.abort(new Error(signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  controller.signal.addEventListener('abort', () => {
    process.on('SIGINT', () => process.exit(130));
    process.on('SIGTERM', () => process.exit(143));
  });
  return controller;
}
