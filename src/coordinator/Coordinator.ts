import { promises as fs } from 'node:fs';
import { resolveFleetSettingsWithWarnings, type ResolvedFleetSettings } from '../settings/fleetSettings.js';
import { invalidFleetWarning, readFleetRecord, type FleetRecord } from '../settings/readFleetRecord.js';
import type { FleetSettings } from '../schema/types.js';
import { validateRecord } from '../schema/validateRecord.js';
import type { Snapshot } from '../store/Snapshot.js';
import type { Store, TransactResult } from '../store/Store.js';
import { clampLocalTime } from '../util/clockBounds.js';
import { randomHex } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import { logEvents, TypedEvents } from '../util/TypedEvents.js';
import { COORDINATOR_EVENT_LEVELS, type CoordinatorEvents } from './coordinatorEvents.js';
import { writeFileAtomic } from '../util/writeFileAtomic.js';
import { FleetIndex, type RefreshReport } from './FleetIndex.js';
import { leaseRenewalDue, leaseRole, nextEpoch, type LeaseRole } from './leaseRole.js';
import { planTick, type DecisionAction, type TickPlan } from './planTick.js';
import { deadWindowMs } from './serverLiveness.js';
import { noDecisions, tickCommitPlan, type TickCommitValue } from './tickCommitPlan.js';
import { LeaderHousekeeping } from './LeaderHousekeeping.js';

export interface CoordinatorOptions {
  store: Store;
  /** This coordinator's name in the lease record. */
  holder: string;
  remoteUrl: string;
  logger: Logger;
  /** Where it remembers its epoch and what it observed, across restarts and `--once` runs. */
  stateFile?: string;
  now?: () => number;
  /** Called after each tick that led; the tick waits for it, so it must only start slow work (webhooks), never wait for it. */
  afterTick?: (report: TickReport, settings: ResolvedFleetSettings) => Promise<void>;
}

export interface TickReport {
  role: LeaseRole | 'lost';
  holder: string | null;
  epoch: number | null;
  head: string | null;
  refresh: RefreshReport;
  canFailOver: boolean;
  decisions: Record<DecisionAction, number>;
  /** Decisions dropped because their job changed while the tick was being decided. */
  skipped: number;
  waiting: number;
  decideMs: number;
  commitMs: number;
  result?: TransactResult['status'];
}

interface SavedState {
  version: 1;
  holder: string;
  epoch: number | null;
  takenAt: number | null;
  observingSince: number;
  savedAt: number;
  observed: Record<string, [string, number]>;
  /** The last valid fleet.json this coordinator saw: in force while the repository's is invalid. */
  fleet?: FleetSettings | null;
  /** When this coordinator last ran (or tried) a scheduled compaction. */
  lastCompactionAt?: number | null;
}

/**
 * The coordinator: one tick reads what changed, decides (planTick), and commits every
 * decision together with the renewal of its lease in one transaction. The transaction
 * re-reads the lease on the fresh head, so a coordinator whose epoch is stale writes
 * nothing, and drops any decision whose job changed since it was decided (an agent's
 * start or completion wins; the job is reconsidered next tick).
 */
export class Coordinator {
  readonly index: FleetIndex;
  /** What happened, as typed events; the logger is subscribed to every one. */
  readonly events = new TypedEvents<CoordinatorEvents>();
  readonly #o: CoordinatorOptions;
  #epoch: number | null = null;
  #takenAt: number | null = null;
  #observingSince: number;
  #restored: Map<string, { oid: string; observedAt: number }> | undefined;
  #roundRobin = { last: null as string | null };
  #ticks = 0;
  #lastRole: string | null = null;
  #lastGoodFleet: FleetSettings | null = null;
  readonly #warned = new Set<string>();
  /** The measured push rate and scheduled compaction: what the leader does beside deciding. */
  readonly housekeeping: LeaderHousekeeping;

  constructor(options: CoordinatorOptions) {
    this.#o = options;
    this.index = new FleetIndex(options.store.reader);
    logEvents(this.events, options.logger, COORDINATOR_EVENT_LEVELS);
    this.#observingSince = this.now;
    this.housekeeping = new LeaderHousekeeping({
      store: options.store,
      holder: options.holder,
      logger: options.logger,
      events: this.events,
      warnOnce: (reason) => this.#warnOnce('coordinator.compaction-skipped', reason),
    });
  }

  get now(): number {
    return this.#o.now?.() ?? Date.now();
  }

  get epoch(): number | null {
    return this.#epoch;
  }

  /** Restores what a previous run of this coordinator knew, if it is recent enough to trust. */
  async restore(): Promise<void> {
    if (!this.#o.stateFile) return;
    const text = await fs.readFile(this.#o.stateFile, 'utf8').catch(() => null);
    if (text === null) return;
    try {
      const saved = JSON.parse(text) as SavedState;
      if (saved.version !== 1 || saved.holder !== this.#o.holder) return;
      const now = this.now;
      // Every time in the file is bounded by this clock: a future takenAt, observingSince
      // or observedAt would hold off failover (or keep a dead server alive) for as long
      // as it lies ahead.
      this.#epoch = Number.isSafeInteger(saved.epoch) ? saved.epoch : null;
      // A local file is no more trusted than the repository: the saved settings count only if valid.
      if (saved.fleet && validateRecord('fleet', saved.fleet).length === 0) this.#lastGoodFleet = saved.fleet;
      const lastCompactionAt = clampLocalTime(saved.lastCompactionAt ?? null, now);
      this.housekeeping.lastCompactionAt = lastCompactionAt === null ? null : Math.min(lastCompactionAt, now);
      const takenAt = clampLocalTime(saved.takenAt, now);
      this.#takenAt = takenAt === null ? null : Math.min(takenAt, now);
      const savedAt = clampLocalTime(saved.savedAt, now);
      const observingSince = clampLocalTime(saved.observingSince, now);
      // Observations survive only a short gap: after a long one, heartbeats were missed unseen.
      if (savedAt !== null && observingSince !== null && now - savedAt < 120_000 && saved.observed && typeof saved.observed === 'object') {
        this.#observingSince = Math.min(observingSince, now);
        this.#restored = new Map();
        for (const [server, entry] of Object.entries(saved.observed)) {
          const observedAt = Array.isArray(entry) && typeof entry[0] === 'string' ? clampLocalTime(entry[1], now) : null;
          if (observedAt !== null) this.#restored.set(server, { oid: entry[0], observedAt: Math.min(observedAt, now) });
        }
      }
    } catch (error) {
      this.events.emit('coordinator.state-reset', { file: this.#o.stateFile, reason: (error as Error).message });
    }
  }

  async tick(): Promise<TickReport> {
    const now = this.now;
    const snapshot = await this.#o.store.snapshot();
    const previous = this.index.commit;
    const refresh = await this.index.refresh(snapshot.commit!, now, this.#restored);
    await this.housekeeping.measurePushes(previous, snapshot.commit!, now);
    this.#restored = undefined;
    const settings = await this.#settings(snapshot);
    const role = leaseRole(this.index.lease, this.#o.holder, this.#epoch, now, settings.coordinator.leaseSeconds);
    const report: TickReport = {
      role,
      holder: this.index.lease?.holder ?? null,
      epoch: this.index.lease?.epoch ?? null,
      head: this.index.commit,
      refresh,
      canFailOver: false,
      decisions: noDecisions(),
      skipped: 0,
      waiting: 0,
      decideMs: 0,
      commitMs: 0,
    };
    this.#logRole(role);
    if (role === 'standby') {
      await this.#save();
      return report;
    }
    const window = deadWindowMs(settings);
    // A leader that does not know when it took over (a state file without the time, or
    // with one from the future) starts its watch now, once: not anew on every tick.
    if (role === 'leader' && this.#takenAt === null) this.#takenAt = now;
    const takenAt = role === 'leader' ? (this.#takenAt ?? now) : now;
    report.canFailOver = now - takenAt >= window && now - this.#observingSince >= window;
    const epoch = role === 'leader' ? this.#epoch! : nextEpoch(this.index.lease?.epoch);
    // Dependencies that finished long ago live in the archive: read just those.
    const deps: string[] = [];
    for (const id of this.index.active) for (const dep of this.index.jobs.get(id)?.job.dependsOn ?? []) if (!this.index.jobs.has(dep)) deps.push(dep);
    await this.index.loadArchived(deps);
    const decideStarted = performance.now();
    const plan = planTick(this.index, {
      settings,
      now,
      actor: this.#o.holder,
      epoch,
      canFailOver: report.canFailOver,
      claimId: () => randomHex(8),
      roundRobin: this.#roundRobin,
    });
    report.decideMs = performance.now() - decideStarted;
    report.waiting = plan.waiting;
    // A tick with nothing to decide pushes nothing until the lease needs renewing.
    if (role === 'leader' && plan.decisions.length === 0 && !leaseRenewalDue(this.index.lease, now, settings.coordinator.leaseSeconds)) {
      await this.housekeeping.run(settings, now);
      await this.#save();
      return report;
    }
    const commitStarted = performance.now();
    const result = await this.#commit(plan, settings, role, epoch);
    report.commitMs = performance.now() - commitStarted;
    report.result = result.status;
    // Counted from the attempt that landed, once: a replayed plan must not count twice.
    if ((result.status === 'committed' || result.status === 'unchanged') && result.value) {
      this.#ticks = result.value.tick;
      report.decisions = result.value.decisions;
      report.skipped = result.value.skipped;
    }
    if (result.status === 'aborted') {
      report.role = 'lost';
      this.events.emit('coordinator.lease-lost', { holder: this.#o.holder, reason: result.reason });
      this.#epoch = null;
    } else if (role === 'take') {
      this.#epoch = epoch;
      this.#takenAt = now;
      this.events.emit('coordinator.took-over', { holder: this.#o.holder, epoch, failoverAfter: new Date(now + window).toISOString() });
    }
    if (report.role !== 'lost') await this.housekeeping.run(settings, now);
    await this.#save();
    if (report.role !== 'lost')
      await this.#o
        .afterTick?.(report, settings)
        .catch((error: unknown) => this.events.emit('coordinator.after-tick-failed', { reason: (error as Error).message }));
    return report;
  }

  #commit(plan: TickPlan, settings: ResolvedFleetSettings, expected: 'leader' | 'take', epoch: number): Promise<TransactResult<TickCommitValue>> {
    const holder = this.#o.holder;
    const counts = summarize(plan);
    const label = `coordinator ${holder}: ${counts || 'renew lease'}`;
    return this.#o.store.transact(
      label,
      tickCommitPlan({
        holder,
        expected,
        epoch,
        heldEpoch: this.#epoch,
        takenAt: this.#takenAt,
        leaseSeconds: settings.coordinator.leaseSeconds,
        tick: this.#ticks + 1,
        decisions: plan.decisions,
        now: () => this.now,
      }),
    );
  }

  /**
   * The fleet settings for this tick. An invalid fleet.json is said loudly, once per
   * reason, and the last valid settings this process saw stay in force (a broken file
   * must not silently lift every drain); settings clamped to their bounds are said too.
   */
  async #settings(snapshot: Snapshot): Promise<ResolvedFleetSettings> {
    // The index holds a valid fleet.json; only when it holds none is the file looked at (absent or invalid?).
    const record: FleetRecord = this.index.fleet !== null ? { state: 'valid', fleet: this.index.fleet } : await readFleetRecord(snapshot);
    if (record.state === 'invalid') {
      const kept = this.#lastGoodFleet ? 'the last valid settings this coordinator saw stay in force' : 'defaults apply and its drain list is ignored';
      this.#warnOnce('fleet.invalid', invalidFleetWarning(record.reason, kept));
    } else {
      this.#lastGoodFleet = record.state === 'valid' ? record.fleet : null;
    }
    const { settings, warnings } = resolveFleetSettingsWithWarnings(this.#lastGoodFleet, this.#o.remoteUrl);
    for (const w of warnings) this.#warnOnce('fleet.setting-clamped', w);
    return settings;
  }

  #warnOnce(event: 'fleet.invalid' | 'fleet.setting-clamped' | 'coordinator.compaction-skipped', reason: string): void {
    const key = `${event}\u0000${reason}`;
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.events.emit(event, { holder: this.#o.holder, reason });
  }

  #logRole(role: LeaseRole): void {
    if (role === this.#lastRole) return;
    this.#lastRole = role;
    const lease = this.index.lease;
    if (role === 'standby')
      this.events.emit('coordinator.standby', { holder: this.#o.holder, leader: lease?.holder, epoch: lease?.epoch, until: lease?.leaseUntil });
  }

  async #save(): Promise<void> {
    if (!this.#o.stateFile) return;
    const observed: Record<string, [string, number]> = {};
    for (const [server, seen] of this.index.servers) observed[server] = [seen.oid, seen.observedAt];
    const state: SavedState = {
      version: 1,
      holder: this.#o.holder,
      epoch: this.#epoch,
      takenAt: this.#takenAt,
      observingSince: this.#observingSince,
      savedAt: this.now,
      observed,
      fleet: this.#lastGoodFleet,
      lastCompactionAt: this.housekeeping.lastCompactionAt,
    };
    await writeFileAtomic(this.#o.stateFile, JSON.stringify(state)).catch((error: unknown) =>
      this.events.emit('coordinator.state-save-failed', { reason: (error as Error).message }),
    );
  }
}

function summarize(plan: TickPlan): string {
  const counts = new Map<string, number>();
  for (const d of plan.decisions) counts.set(d.action, (counts.get(d.action) ?? 0) + 1);
  return [...counts].map(([action, n]) => `${action} ${n}`).join(', ');
}
