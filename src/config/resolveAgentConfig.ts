import path from 'node:path';
import type { LocalConfig } from '../schema/types.js';

/** One job kind of the local config: a command (argv, no shell) and a pattern per parameter. */
export type JobKindConfig = NonNullable<NonNullable<LocalConfig['jobs']>['kinds']>[string];

/** The job runner's settings from the local config, typed and defaulted. */
export interface ResolvedJobsConfig {
  /** Unchecked here (see JobKinds, which compiles them when an agent starts). */
  kinds: Record<string, JobKindConfig>;
  /** Jobs run at once: 0 when no kind is configured, since there is nothing to run. */
  slots: number;
  /** How often the daemon looks for jobs assigned to it. */
  pollMs: number;
  /** Where full job logs are kept. */
  logDir: string;
  /** Stop jobs after this long without a successful push; undefined: from the fleet settings. */
  selfStopMs: number | undefined;
}

/** An agent's settings from the local config, typed and defaulted (see createAgent). */
export interface ResolvedAgentConfig {
  labels: string[];
  capabilities: string[];
  /** Drained in the local config (fleet.json's drain list counts too). */
  drain: boolean;
  /** How often a scheduler starts `agent --once`, in seconds, when one does. */
  everySeconds: number | undefined;
  /** Where the agent appends its log instead of stderr. */
  logFile: string | undefined;
  /** Local command for critical messages (argv template). */
  onCriticalMessage: string[] | undefined;
  /** Where agents keep their state files. */
  stateDir: string;
  jobs: ResolvedJobsConfig;
}

/**
 * The agent and jobs sections of a validated configuration, with their defaults. Paths
 * given in these sections (log file, job logs) are relative to the working directory,
 * as they always were, not to the config file like cacheDir and dataDir.
 */
export function resolveAgentConfig(layered: LocalConfig, dataDir: string, cwd: string): ResolvedAgentConfig {
  const jobs = layered.jobs ?? {};
  const kinds = jobs.kinds ?? {};
  return {
    labels: layered.labels ?? [],
    capabilities: layered.capabilities ?? [],
    drain: layered.drain ?? false,
    everySeconds: layered.agent?.every,
    logFile: layered.agent?.logFile === undefined ? undefined : path.resolve(cwd, layered.agent.logFile),
    onCriticalMessage: layered.agent?.onCriticalMessage,
    stateDir: path.join(dataDir, 'agent'),
    jobs: {
      kinds,
      slots: Object.keys(kinds).length === 0 ? 0 : (jobs.slots ?? 1),
      pollMs: (jobs.pollSeconds ?? 5) * 1000,
      logDir: path.resolve(cwd, jobs.logDir ?? path.join(dataDir, 'job-logs')),
      selfStopMs: jobs.selfStopSeconds ? jobs.selfStopSeconds * 1000 : undefined,
    },
  };
}
