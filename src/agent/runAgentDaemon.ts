import cron, { type ScheduledTask } from 'node-cron';
import { sampleCronExpression, sampleStepSeconds } from '../status/heartbeatSchedule.js';
import type { Logger } from '../util/logger.js';
import { sleep } from '../util/sleep.js';
import type { Agent } from './Agent.js';
import type { JobRunner } from './JobRunner.js';

/**
 * `gitfleet agent` (daemon): a node-cron task ticks every sampling step, shifted so
 * that one tick falls exactly on this server's heartbeat slot, and never overlaps
 * itself. Each tick runs one agent cycle. When the heartbeat period changes (the fleet
 * grew), the task is rescheduled. Resolves once `signal` aborts and the cycle in
 * flight has finished.
 */
export async function runAgentDaemon(
  agent: Agent,
  options: { logger: Logger; signal: AbortSignal; jobs?: { runner: JobRunner; pollMs: number } },
): Promise<void> {
  const { logger, signal } = options;
  let chain: Promise<unknown> = Promise.resolve();
  const runCycle = () => {
    chain = chain.then(() => agent.cycle()).catch((error: unknown) => logger.error('agent.cycle-failed', { reason: (error as Error).message }));
    return chain;
  };
  // Jobs are polled on their own, faster loop. Their starts and ends are commits of their
  // own; the status (with the running list) follows at the next heartbeat.
  let jobLoop: Promise<void> = Promise.resolve();
  if (options.jobs) {
    const { runner, pollMs } = options.jobs;
    jobLoop = (async () => {
      while (!signal.aborted) {
        await runner.poll().catch((error: unknown) => logger.error('jobs.poll-failed', { reason: (error as Error).message }));
        await sleep(pollMs, signal).catch(() => undefined);
      }
    })();
  }
  const expression = async () => {
    const period = await agent.periodSeconds();
    return sampleCronExpression(agent.server, period, sampleStepSeconds(await agent.settings(), period));
  };

  await runCycle();
  let current = await expression();
  let task: ScheduledTask | undefined;
  const schedule = (expr: string) =>
    cron.schedule(
      expr,
      async () => {
        if (signal.aborted) return;
        await runCycle();
        const next = await expression();
        if (next !== current && !signal.aborted) {
          logger.info('agent.rescheduled', { server: agent.server, from: current, to: next });
          current = next;
          const old = task;
          task = schedule(next);
          await old?.stop();
          await old?.destroy();
        }
      },
      {
        noOverlap: true,
        name: `gitfleet-agent-${agent.server}`,
        suppressMissedWarning: true,
        // node-cron would print to the console itself; a skipped tick is routine for us
        // (a slow push), so its remarks go to the agent's log at debug level.
        logger: {
          info: (m) => logger.debug('cron.info', { message: String(m) }),
          warn: (m) => logger.debug('cron.warn', { message: String(m) }),
          error: (m) => logger.warn('cron.error', { message: String(m) }),
          debug: (m) => logger.debug('cron.debug', { message: String(m) }),
        },
      },
    );
  task = schedule(current);
  logger.info('agent.started', { server: agent.server, schedule: current, periodSeconds: await agent.periodSeconds() });
  if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await task?.stop();
  await task?.destroy();
  await jobLoop;
  if (options.jobs) {
    // Running jobs are stopped and reported (they will be retried elsewhere); then one last status.
    await options.jobs.runner.stop();
    await runCycle();
  }
  await chain;
  // Hooks run off the cycle: let the running ones finish (each has a timeout); the ones
  // still waiting are counted, their messages already recorded as delivered.
  const waiting = agent.hooks?.waiting ?? 0;
  await agent.settleHooks();
  if (waiting > 0) logger.warn('message.hooks-not-run', { server: agent.server, waiting, reason: 'the agent stopped before their turn' });
  logger.info('agent.stopped', { server: agent.server });
}
