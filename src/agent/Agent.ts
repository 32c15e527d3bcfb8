import type { Store, TransactResult } from '../store/Store.js';
import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import { invalidFleetWarning } from '../settings/readFleetRecord.js';
import type { Message, ServerStatus } from '../schema/types.js';
import type { JobRunner } from './JobRunner.js';
import { sendMessagePlan } from '../messages/sendMessagePlan.js';
import { CriticalHooks } from './CriticalHooks.js';
import { readFleetSeen, rememberFleet, type FleetSeen } from '../status/fleetSeen.js';
import { statusPlan, type StatusFindings } from '../status/statusPlan.js';
import { pickUpMessages, type Pickup } from '../messages/pickUpMessages.js';
import { pickupPlan } from '../messages/pickupPlan.js';
import { availabilityPercent, recordUp } from '../status/availability.js';
import { maintenanceSpans } from '../settings/maintenanceWindows.js';
import { recordSighting, toRecordUptime } from '../status/uptimeHistory.js';
import { buildStatusRecord } from '../status/buildStatusRecord.js';
import type { Collector } from '../status/Collector.js';
import { effectivePeriodSeconds, nextSlot, sampleStepSeconds, slotOffsetMs } from '../status/heartbeatSchedule.js';
import { decidePublish, heartbeatSlotDue, nextNetworkTryAt, waitsForNetwork } from '../status/publishDecision.js';
import { addHistoryPoint, historyPoint } from '../status/statusHistory.js';
import type { Logger } from '../util/logger.js';
import { sleep } from '../util/sleep.js';
import { logEvents, TypedEvents } from '../util/TypedEvents.js';
import { AGENT_EVENT_LEVELS, type AgentEvents } from './agentEvents.js';
import { AgentMemory } from './AgentMemory.js';
import type { AgentStateData } from './AgentState.js';

export interface AgentOptions {
  server: string;
  store: Store;
  /**
   * A site relay (`gitfleet relay`): a store whose reads are the relay's mirror of the fleet
   * repository and whose pushes go to this server's inbox ref there. Heartbeats go to it,
   * and to `store` directly in a cycle where it does not answer.
   */
  relay?: Store;
  collector: Collector;
  logger: Logger;
  mode: 'once' | 'daemon' | 'simulated';
  /** Where the agent remembers its state between runs; give this or `memory`. */
  stateFile?: string;
  /** That state, shared with the job runner (see createAgent). */
  memory?: AgentMemory;
  /** The fleet repository URL (its host decides the default push budget). */
  remoteUrl: string;
  labels?: string[];
  capabilities?: string[];
  /** Drained in the local config (fleet.json's drain list counts too). */
  drain?: boolean;
  /** How often a scheduler starts `agent --once`, in seconds. */
  everySeconds?: number;
  /** Runs the jobs assigned to this server (daemon mode); its running jobs are in every status. */
  jobs?: JobRunner;
  /** Local command for critical messages (argv template, from the local config only). */
  onCriticalMessage?: string[];
  /** At most this many critical-message hooks start per cycle (and run at once); default 4. */
  hooksPerCycle?: number;
  /** Each hook run is stopped after this long (default 30 s). */
  hookTimeoutMs?: number;
  /** Called with the messages picked up in a cycle (after they are recorded as delivered). */
  onMessages?: (messages: Message[]) => void | Promise<void>;
  now?: () => number;
}

export interface CycleReport {
  pushed: boolean;
  /** Why it pushed, or why not. */
  reason: string;
  result?: TransactResult<StatusFindings>;
  /** Where the status went: the site relay, or the fleet repository directly. */
  via?: 'relay' | 'direct';
  status: ServerStatus;
  periodSeconds: number;
  nextSlotAt: number;
}

/**
 * The agent of one server: samples the host, keeps its rolling history and uptime,
 * and publishes its status record — at once when something significant changed, at
 * its own slot in each heartbeat period otherwise, and into the outbox when the
 * remote cannot be reached. Never throws out of a cycle: a broken remote or a bad
 * record is logged (once per state change) and retried later.
 */
export class Agent {
  readonly server: string;
  /** What happened, as typed events; the logger is subscribed to every one. */
  readonly events = new TypedEvents<AgentEvents>();
  readonly #opts: AgentOptions;
  readonly #memory: AgentMemory;
  #nextNetworkTry = 0;
  #lastError: string | null = null;
  #lastErrorCode: string | null = null;
  #remoteLatencyMs: number | undefined;
  #latencyMeasuredAt = 0;
  /** Warnings already logged by this process (each says once what is wrong with the repository). */
  readonly #warned = new Set<string>();
  readonly #hooks: CriticalHooks | undefined;
  /** Why the relay last failed, while it is down (one warning per outage). */
  #relayDown: string | null = null;
  #lastVia: 'relay' | 'direct' = 'direct';
  /** Heartbeats sent to the relay not yet seen in its mirror: seq and when (at most a few periods' worth). */
  readonly #relayed: { seq: number; at: number }[] = [];

  constructor(options: AgentOptions) {
    this.#opts = options;
    this.server = options.server;
    logEvents(this.events, options.logger, AGENT_EVENT_LEVELS);
    if (options.memory) this.#memory = options.memory;
    else if (options.stateFile !== undefined)
      this.#memory = new AgentMemory({
        file: options.stateFile,
        server: options.server,
        remoteUrl: options.remoteUrl,
        logger: options.logger,
        now: () => this.now,
      });
    else throw new TypeError('Agent: give stateFile or memory');
    if (options.onCriticalMessage) {
      this.#hooks = new CriticalHooks({
        argv: options.onCriticalMessage,
        logger: options.logger,
        ...(options.hooksPerCycle !== undefined ? { perCycle: options.hooksPerCycle } : {}),
        ...(options.hookTimeoutMs !== undefined ? { timeoutMs: options.hookTimeoutMs } : {}),
      });
    }
  }

  /** The critical-message hooks (running and waiting), if a hook is configured. */
  get hooks(): CriticalHooks | undefined {
    return this.#hooks;
  }

  /** Waits for running hooks; with `all`, runs the waiting ones too (a `--once` run before it exits). */
  async settleHooks(options: { all?: boolean } = {}): Promise<void> {
    await this.#hooks?.settle(options);
  }

  /** Why the last publish failed (other than an unreachable remote), or null. */
  get lastError(): { code: string; message: string } | null {
    return this.#lastError === null ? null : { code: this.#lastErrorCode ?? 'E_INTERNAL', message: this.#lastError };
  }

  get now(): number {
    return this.#opts.now?.() ?? Date.now();
  }

  /** The fleet settings as last seen in the repository, with defaults. */
  async settings(): Promise<ResolvedFleetSettings> {
    return this.#memory.fleetSettings();
  }

  #warnOnce(event: 'fleet.invalid' | 'message.inbox-blocked', reason: string, fields: Record<string, unknown> = {}): void {
    const key = `${event}\u0000${reason}`;
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.events.emit(event, { server: this.server, reason, ...fields });
  }

  async periodSeconds(): Promise<number> {
    const state = await this.#load();
    return effectivePeriodSeconds(await this.settings(), this.#budgetSize(state));
  }

  /** Milliseconds until this server's next heartbeat slot. */
  async msToNextSlot(): Promise<number> {
    return nextSlot(this.now, this.server, (await this.periodSeconds()) * 1000) - this.now;
  }

  /**
   * One cycle. `heartbeat: false` publishes only significant changes (used by
   * `agent --once` before it waits for its slot); `force` publishes regardless.
   */
  async cycle(options: { heartbeat?: boolean; force?: boolean; reason?: string } = {}): Promise<CycleReport> {
    const state = await this.#load();
    // A first report must announce the fleet's heartbeat period, not the default: the
    // coordinator judges this server dead by it.
    if (state.fleet === null) await this.#learnFleet(state);
    // Hooks left waiting by earlier cycles start now, off the heartbeat path.
    this.#hooks?.newCycle();
    this.#hooks?.startSome();
    const now = this.now;
    const settings = await this.settings();
    const period = effectivePeriodSeconds(settings, this.#budgetSize(state));
    const periodMs = period * 1000;
    const sample = await this.#opts.collector.sample();
    const step = sampleStepSeconds(settings, period);
    const toleranceMs = 3 * Math.max(step, this.#opts.everySeconds ?? 0) * 1000;
    state.up = recordUp(state.up, now, toleranceMs);
    // Maintenance since the last sighting is neither up nor down (windows from fleet.json as last seen).
    const lastSeen = state.uptime?.lastSeen ?? now;
    const week = maintenanceSpans(settings.maintenance, this.server, this.#opts.labels ?? [], now - 7 * 86_400_000, now);
    state.uptime = recordSighting(
      state.uptime ?? null,
      now,
      toleranceMs,
      maintenanceSpans(settings.maintenance, this.server, this.#opts.labels ?? [], lastSeen, now),
    );
    state.history = addHistoryPoint(state.history, historyPoint(sample), now);
    const status = buildStatusRecord({
      server: this.server,
      sample,
      seq: state.seq + 1,
      mode: this.#opts.mode,
      labels: this.#opts.labels ?? [],
      capabilities: this.#opts.capabilities ?? [],
      draining: Boolean(this.#opts.drain) || settings.drain.includes(this.server),
      runningJobs: this.#opts.jobs?.running() ?? [],
      jobSlots: this.#opts.jobs?.slots ?? 0,
      jobKinds: this.#opts.jobs?.kinds ?? [],
      jobKindParams: this.#opts.jobs?.kindParams ?? {},
      periodSeconds: period,
      slotSeconds: slotOffsetMs(this.server, periodMs) / 1000,
      history: state.history,
      availability: { pct24h: availabilityPercent(state.up, now, 86_400_000, week), pct7d: availabilityPercent(state.up, now, 7 * 86_400_000, week) },
      uptime: toRecordUptime(state.uptime),
      ...(this.#remoteLatencyMs !== undefined ? { remoteLatencyMs: this.#remoteLatencyMs } : {}),
      settings,
      ...(this.#lastError ? { agentProblems: [`cannot publish: ${this.#lastError}`] } : {}),
    });
    const decision = decidePublish({
      ...state,
      ...options,
      server: this.server,
      status,
      now,
      periodMs,
      maxSilencePeriods: settings.heartbeat.maxSilencePeriods,
    });
    const report: CycleReport = { pushed: false, reason: decision.reason, status, periodSeconds: period, nextSlotAt: nextSlot(now + 1, this.server, periodMs) };
    if (decision.publish) {
      if (decision.measureLatency) await this.#measureLatency(now, periodMs);
      const result = await this.#publish(status, decision.reason, now);
      if (result) {
        report.result = result;
        report.via = this.#lastVia;
        report.pushed = result.status === 'committed' || result.status === 'unchanged';
      }
    } else if (decision.slotHandled) {
      // A skipped heartbeat still handles this slot: the next is due at the next slot.
      state.lastSlotHandledAt = now;
    }
    await this.#memory.save().catch((error: unknown) => this.events.emit('agent.state-save-failed', { reason: (error as Error).message }));
    return report;
  }

  /**
   * `agent --once`: publish significant changes at once; otherwise wait for this
   * server's slot if it falls before the scheduler's next run, then publish the heartbeat.
   */
  async runOnce(options: { waitForSlot?: boolean; signal?: AbortSignal } = {}): Promise<CycleReport> {
    const report = await this.#runOnce(options);
    // The process ends after this run: the hooks of what it delivered run now, after the
    // status commit, a few at a time.
    await this.settleHooks({ all: true });
    return report;
  }

  async #runOnce(options: { waitForSlot?: boolean; signal?: AbortSignal }): Promise<CycleReport> {
    if (options.waitForSlot === false) return this.cycle({ force: true, reason: 'run by hand (--now)' });
    const first = await this.cycle({ heartbeat: false });
    if (first.pushed) return first;
    const overdue = heartbeatSlotDue(await this.#load(), this.now, this.server, first.periodSeconds * 1000);
    const wait = first.nextSlotAt - this.now;
    // The slot falls after the scheduler's next run: that run will handle it.
    if (!overdue && wait > (this.#opts.everySeconds ?? 60) * 1000) return first;
    if (!overdue && wait > 0) await sleep(wait, options.signal);
    return this.cycle();
  }

  async #publish(status: ServerStatus, reason: string, now: number): Promise<TransactResult<StatusFindings> | undefined> {
    const state = await this.#load();
    const store = this.#opts.store;
    const offlineItem = { kind: 'status', key: `status-${this.server}`, payload: status };
    // The relay first, even while the fleet repository is unreachable: it keeps the heartbeat.
    if (this.#opts.relay) {
      const relayed = await this.#publishViaRelay(this.#opts.relay, status, reason, now);
      this.#lastVia = relayed ? 'relay' : 'direct';
      if (relayed) return relayed;
    }
    if (waitsForNetwork(state.offlineSince, this.#nextNetworkTry, now, reason)) {
      // Offline and not yet time to try again: keep the latest status for later.
      await store.outbox?.put(offlineItem);
      return undefined;
    }
    try {
      // A status waiting in the outbox is older than this one: drop it, send the rest.
      await store.outbox?.remove(offlineItem.key);
      await store.flushOutbox({
        status: (payload) => statusPlan(payload as ServerStatus, { onlyIfNewer: true }),
        // Messages sent from this machine while the remote was down.
        message: (payload) => sendMessagePlan(payload as Message, { force: true }),
      });
      const inbox = { labels: status.labels ?? [], watermark: state.inboxWatermark ?? null, now };
      const result = await store.transact(`status ${this.server}: ${reason}`, statusPlan(status, { inbox }), { actor: this.server, offline: offlineItem });
      if (result.status === 'queued') {
        if (state.offlineSince === null) {
          state.offlineSince = now;
          this.events.emit('agent.offline', { server: this.server, reason: result.reason, outbox: 'status kept until the remote returns' });
        }
        this.#nextNetworkTry = nextNetworkTryAt(now, state.offlineSince, (await this.periodSeconds()) * 1000);
        return result;
      }
      this.#backOnline(state, now);
      if (result.status !== 'committed' && result.status !== 'unchanged') return result;
      this.#opts.jobs?.notePushed(now);
      state.lastPushed = status;
      state.lastPushAt = now;
      state.seq = Math.max(state.seq + 1, status.seq);
      this.events.emit('agent.published', { server: this.server, reason, attempts: result.attempts, ms: result.elapsedMs });
      // What the attempt that landed found (a replay before it may have seen another fleet or inbox).
      if (result.value) this.#noteFleet(state, result.value.fleet);
      await this.#notePickup(state, result.value?.pickup);
      return result;
    } catch (error) {
      const message = (error as Error).message;
      if (this.#lastError !== message) {
        this.events.emit('agent.publish-failed', { server: this.server, code: (error as { code?: string }).code ?? 'E_INTERNAL', reason: message });
      }
      this.#lastError = message;
      this.#lastErrorCode = (error as { code?: string }).code ?? 'E_INTERNAL';
      await store.outbox?.put(offlineItem).catch(() => undefined);
      this.#nextNetworkTry = now + (await this.periodSeconds()) * 1000;
      return undefined;
    }
  }

  /**
   * The heartbeat through the site relay: the status plan runs on the relay's mirror and
   * its commit goes to this server's inbox ref (no contention, no upstream push). Messages
   * are looked for on the same mirror; only when one arrived does the agent record its
   * delivery upstream, in a transaction of its own. Undefined when the relay did not take
   * it (down, slow, refused): the caller publishes to the fleet repository directly, and
   * the next cycle tries the relay again.
   */
  async #publishViaRelay(relay: Store, status: ServerStatus, reason: string, now: number): Promise<TransactResult<StatusFindings> | undefined> {
    const state = await this.#load();
    let result: TransactResult<StatusFindings>;
    try {
      result = await relay.transact(`status ${this.server}: ${reason}`, statusPlan(status), { actor: this.server });
      if (result.status !== 'committed' && result.status !== 'unchanged') throw new Error(`the relay's transaction was ${result.status}`);
    } catch (error) {
      const why = (error as Error).message;
      if (this.#relayDown === null)
        this.events.emit('agent.relay-down', { server: this.server, code: (error as { code?: string }).code ?? 'E_INTERNAL', reason: why });
      this.#relayDown = why;
      return undefined;
    }
    if (this.#relayDown !== null) this.events.emit('agent.relay-back', { server: this.server });
    this.#relayDown = null;
    this.#backOnline(state, now);
    // The job runner's "our pushes land" (its self-stop clock) moves only when the mirror shows
    // a relayed heartbeat folded upstream: a relay that takes heartbeats but cannot fold them
    // must not keep jobs running on a server the coordinator may already have failed over.
    const held = result.value?.heldSeq ?? 0;
    while (this.#relayed.length > 0 && this.#relayed[0]!.seq <= held) {
      const landed = this.#relayed.shift()!;
      if (this.#relayed.length === 0 || this.#relayed[0]!.seq > held) this.#opts.jobs?.notePushed(landed.at);
    }
    if (result.status === 'committed') this.#relayed.push({ seq: Math.max(status.seq, held + 1), at: now });
    if (this.#relayed.length > 64) this.#relayed.splice(0, this.#relayed.length - 64);
    state.lastPushed = status;
    state.lastPushAt = now;
    state.seq = Math.max(state.seq + 1, status.seq);
    this.events.emit('agent.published', { server: this.server, reason, attempts: result.attempts, ms: result.elapsedMs, via: 'relay' });
    if (result.value) this.#noteFleet(state, result.value.fleet);
    await this.#afterRelayed(relay, result.commit, status, now);
    return result;
  }

  /** What waits for the fleet repository itself after a relayed heartbeat: the outbox's messages, new messages' receipts. */
  async #afterRelayed(relay: Store, commit: string | null, status: ServerStatus, now: number): Promise<void> {
    const store = this.#opts.store;
    const state = await this.#load();
    try {
      // The relay holds a newer status than any waiting in the outbox; messages still go upstream.
      await store.outbox?.remove(`status-${this.server}`);
      if ((await store.outbox?.list())?.length) await store.flushOutbox({ message: (payload) => sendMessagePlan(payload as Message, { force: true }) });
      if (commit === null) return;
      const labels = status.labels ?? [];
      const watermark = state.inboxWatermark ?? null;
      const seen = await pickUpMessages(relay.snapshotAt(commit), this.server, labels, watermark, now);
      if (seen.blocked) return this.#warnOnce('message.inbox-blocked', seen.blocked);
      if (seen.messages.length === 0 && seen.receipts === null) return;
      const picked = await store.transact(`receipts ${this.server}`, pickupPlan(this.server, labels, watermark, now), { actor: this.server });
      if (picked.status === 'committed' || picked.status === 'unchanged') await this.#notePickup(state, picked.value);
    } catch (error) {
      // The fleet repository is down: the messages wait for the next cycle, as they would anyway.
      this.#opts.logger.debug('agent.relay-pickup-failed', { server: this.server, reason: (error as Error).message });
    }
  }

  /** A publish reached the fleet (directly or through the relay): say so once after an outage and clear the error. */
  #backOnline(state: { offlineSince: number | null }, now: number): void {
    if (state.offlineSince !== null || this.#lastError !== null) {
      this.events.emit('agent.online', {
        server: this.server,
        offlineSeconds: state.offlineSince === null ? 0 : Math.round((now - state.offlineSince) / 1000),
      });
    }
    state.offlineSince = null;
    this.#lastError = null;
    this.#lastErrorCode = null;
  }

  async #notePickup(state: AgentStateData, pickup: Pickup | undefined): Promise<void> {
    if (!pickup) return;
    state.inboxWatermark = pickup.watermark;
    if (pickup.blocked) this.#warnOnce('message.inbox-blocked', pickup.blocked);
    await this.#deliver(pickup.messages);
  }

  /**
   * Logs what arrived (critical at once, as errors) and hands critical messages to the
   * local hook, which runs them off this path (see CriticalHooks).
   */
  async #deliver(messages: Message[]): Promise<void> {
    for (const m of messages) {
      const fields = { server: this.server, id: m.id, from: m.from, to: m.to, priority: m.priority, subject: m.subject };
      if (m.priority === 'critical') this.events.emit('message.critical', fields);
      else this.events.emit('message.received', fields);
    }
    if (this.#hooks) {
      this.#hooks.add(messages.filter((m) => m.priority === 'critical'));
      this.#hooks.startSome();
    }
    if (messages.length > 0) await this.#opts.onMessages?.(messages);
  }

  /**
   * What a transaction saw of the fleet. An invalid fleet.json is said loudly (once per
   * reason) and the last valid settings this agent saw stay in force, so a broken file
   * does not silently lift a drain or reset the heartbeat period.
   */
  #noteFleet(state: AgentStateData, seen: FleetSeen): void {
    if (seen.invalid !== undefined) {
      const kept = state.fleet?.settings ? 'the last valid settings this agent saw stay in force' : 'defaults apply and its drain list is ignored';
      this.#warnOnce('fleet.invalid', invalidFleetWarning(seen.invalid, kept));
    }
    state.fleet = rememberFleet(state.fleet, seen);
  }

  async #learnFleet(state: AgentStateData): Promise<void> {
    for (const store of this.#opts.relay ? [this.#opts.relay, this.#opts.store] : [this.#opts.store]) {
      try {
        this.#noteFleet(state, await readFleetSeen(await store.snapshot(), this.now));
        return;
      } catch {
        // Unreachable: the next one, else the defaults serve until the first transaction reads fleet.json.
      }
    }
  }

  async #measureLatency(now: number, periodMs: number): Promise<void> {
    if (now - this.#latencyMeasuredAt < periodMs && this.#remoteLatencyMs !== undefined) return;
    const started = performance.now();
    try {
      // What this agent talks to for its heartbeats: the relay when there is one.
      await (this.#opts.relay ?? this.#opts.store).remoteHead();
      this.#remoteLatencyMs = performance.now() - started;
    } catch {
      this.#remoteLatencyMs = undefined;
    }
    this.#latencyMeasuredAt = now;
  }

  /**
   * How many writers the heartbeat period shares the push budget with. Behind a relay that
   * answers, a heartbeat costs the fleet repository no push of its own (the relay folds its
   * site into one a period), so fleet.json's period applies as it is; going direct (no
   * relay, or it failed), every server of the fleet counts, as before.
   */
  #budgetSize(state: AgentStateData): number {
    return this.#opts.relay && this.#relayDown === null ? 1 : (state.fleet?.size ?? 1);
  }

  async #load(): Promise<AgentStateData> {
    return this.#memory.load(this.now);
  }
}
