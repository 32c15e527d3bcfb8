import { resolveFleetSettingsWithWarnings, type ResolvedFleetSettings } from '../settings/fleetSettings.js';
import type { Logger } from '../util/logger.js';
import { logEvents, TypedEvents } from '../util/TypedEvents.js';
import { AGENT_EVENT_LEVELS, type AgentEvents } from './agentEvents.js';
import { AgentState, type AgentStateData } from './AgentState.js';

export interface AgentMemoryOptions {
  /** The state file (see AgentState). */
  file: string;
  server: string;
  /** The fleet repository URL (its host decides the default push budget). */
  remoteUrl: string;
  logger: Logger;
  now?: () => number;
}

/**
 * What an agent remembers between runs, loaded once per process and shared: the Agent
 * reads and updates it every cycle (the fleet it saw in each transaction among it), and
 * its JobRunner reads the fleet settings from it (job timeouts, the retry budget, the
 * self-stop limit). Built first and handed to both, so that neither needs the other: the
 * runner used to reach these settings through the agent, which itself holds the runner.
 * The runner may ask before the agent's first cycle: the state is then loaded by that
 * call, so both always see the same settings (the last valid ones this agent saw, even
 * across restarts, or the defaults).
 */
/** What the memory says happened (the logger is subscribed, like the agent's own events). */
type MemoryEvents = Pick<AgentEvents, 'fleet.setting-clamped'>;

export class AgentMemory {
  readonly server: string;
  readonly events = new TypedEvents<MemoryEvents>();
  readonly #o: AgentMemoryOptions;
  readonly #file: AgentState;
  #state: Promise<AgentStateData> | undefined;
  /** Clamping warnings already logged (each is said once per process). */
  readonly #warned = new Set<string>();

  constructor(options: AgentMemoryOptions) {
    this.#o = options;
    this.server = options.server;
    logEvents(this.events, options.logger, { 'fleet.setting-clamped': AGENT_EVENT_LEVELS['fleet.setting-clamped'] });
    this.#file = new AgentState(options.file, options.logger);
  }

  get file(): string {
    return this.#file.file;
  }

  /**
   * The state, read from its file on the first call. The object is shared: what the
   * agent changes in it, everyone sees.
   */
  load(now = this.#o.now?.() ?? Date.now()): Promise<AgentStateData> {
    this.#state ??= this.#file.load(this.server, now);
    return this.#state;
  }

  async save(): Promise<void> {
    if (this.#state) await this.#file.save(await this.#state);
  }

  /** The fleet settings as last seen in the repository, with defaults. */
  async fleetSettings(): Promise<ResolvedFleetSettings> {
    const state = await this.load();
    const { settings, warnings } = resolveFleetSettingsWithWarnings(state.fleet?.settings ?? null, this.#o.remoteUrl);
    for (const warning of warnings) {
      if (this.#warned.has(warning)) continue;
      this.#warned.add(warning);
      this.events.emit('fleet.setting-clamped', { server: this.server, reason: warning });
    }
    return settings;
  }
}
