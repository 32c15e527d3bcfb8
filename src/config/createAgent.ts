import { Agent, type AgentOptions } from '../agent/Agent.js';
import { AgentMemory } from '../agent/AgentMemory.js';
import { JobKinds } from '../agent/JobKinds.js';
import { JobRunner } from '../agent/JobRunner.js';
import type { Collector } from '../status/Collector.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';
import type { ResolvedAgentConfig } from './resolveAgentConfig.js';

/** Parsed-record cache of an agent's store (see RecordCache). */
export const AGENT_CACHE_BYTES = 2 * 1024 * 1024;

export interface CreateAgentOptions {
  server: string;
  store: Store;
  /** The site relay's store (see openRelayLink): heartbeats go there when it answers. */
  relay?: Store;
  /** The fleet repository URL (its host decides the default push budget). */
  remoteUrl: string;
  logger: Logger;
  collector: Collector;
  /** What the status says about how this agent runs. */
  mode: AgentOptions['mode'];
  /**
   * A single run from a scheduler (`agent --once`, simulated or not): it ends in seconds,
   * so it cannot hold a job and offers no slots. A daemon runs jobs when kinds are configured.
   */
  once?: boolean;
  stateFile: string;
  /** The agent and jobs sections of the resolved configuration. */
  config: ResolvedAgentConfig;
  onMessages?: AgentOptions['onMessages'];
  now?: () => number;
}

export interface CreatedAgent {
  agent: Agent;
  /** The job loop of runAgentDaemon, when this agent runs jobs. */
  jobs: { runner: JobRunner; pollMs: number } | undefined;
}

/**
 * Builds an agent and, when it runs jobs, its job runner. Both share one AgentMemory
 * (the state file, with the fleet settings the agent last saw), built first: the
 * runner reads its settings there instead of asking the agent that holds it.
 */
export function createAgent(options: CreateAgentOptions): CreatedAgent {
  const { server, store, remoteUrl, logger, config } = options;
  const memory = new AgentMemory({ file: options.stateFile, server, remoteUrl, logger, ...(options.now ? { now: options.now } : {}) });
  // Compiled (and checked) even for a run that offers no slots: a bad kind fails every run alike.
  const kinds = new JobKinds(config.jobs.kinds);
  const slots = options.once ? 0 : config.jobs.slots;
  const runner =
    slots > 0
      ? new JobRunner({
          server,
          store,
          kinds,
          slots,
          logDir: config.jobs.logDir,
          remoteUrl,
          logger,
          settings: () => memory.fleetSettings(),
          ...(config.jobs.selfStopMs !== undefined ? { selfStopMs: config.jobs.selfStopMs } : {}),
          ...(options.now ? { now: options.now } : {}),
        })
      : undefined;
  const agent = new Agent({
    server,
    store,
    ...(options.relay ? { relay: options.relay } : {}),
    collector: options.collector,
    logger,
    mode: options.mode,
    memory,
    remoteUrl,
    labels: config.labels,
    capabilities: config.capabilities,
    drain: config.drain,
    ...(config.onCriticalMessage ? { onCriticalMessage: config.onCriticalMessage } : {}),
    ...(config.everySeconds !== undefined ? { everySeconds: config.everySeconds } : {}),
    ...(runner ? { jobs: runner } : {}),
    ...(options.onMessages ? { onMessages: options.onMessages } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return { agent, jobs: runner ? { runner, pollMs: config.jobs.pollMs } : undefined };
}
