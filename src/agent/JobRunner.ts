import path from 'node:path';
import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import { clip, holdsToken, type AttemptOutcome, type FencingToken } from '../jobs/jobLifecycle.js';
import type { Job, JobResult, RunningJob } from '../schema/types.js';
import type { RecordFeed } from '../store/RecordFeed.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';
import { finishJobPlan, refuseJobPlan, startJobPlan } from '../jobs/attemptPlans.js';
import type { JobKinds } from './JobKinds.js';
import { runJobProcess, type ProcessOutcome } from './runJobProcess.js';
import { logEvents, TypedEvents } from '../util/TypedEvents.js';
import { JOB_EVENT_LEVELS, type JobEvents } from './jobEvents.js';

export interface JobRunnerOptions {
  server: string;
  store: Store;
  kinds: JobKinds;
  slots: number;
  logDir: string;
  remoteUrl: string;
  logger: Logger;
  settings: () => Promise<ResolvedFleetSettings>;
  /** Stop jobs after this long without a successful push; default from the settings. */
  selfStopMs?: number;
  /** The set of running jobs changed (the agent pushes its status at once). */
  onChange?: () => void;
  now?: () => number;
}

interface Running {
  id: string;
  token: FencingToken;
  startedAt: string;
  controller: AbortController;
  stopReason?: 'cancelled' | 'self-stop' | 'lost' | 'shutdown';
  /** Set once the process ended; the entry stays until the result is in the repository. */
  report?: { outcome: AttemptOutcome; result: JobResult; reason?: string };
  /** A report transaction is in flight: a poll must not send a second one. */
  reporting?: boolean;
}

/**
 * Runs the jobs the coordinator assigned to this server. Each poll fetches the head,
 * reads only the job files that changed since the last poll, starts what is assigned
 * here (fenced start), stops what was cancelled or taken away, and reports results
 * (fenced completion) until they land. A job stays in the status's running list until
 * its result is in the repository, so the coordinator never sees it vanish early.
 */
export class JobRunner {
  /** What happened, as typed events; the logger is subscribed to every one. */
  readonly events = new TypedEvents<JobEvents>();
  readonly #o: JobRunnerOptions;
  #onChange: (() => void) | undefined;
  readonly #running = new Map<string, Running>();
  /** Unfinished jobs assigned to this server, as last read. */
  readonly #mine = new Map<string, Job>();
  /** The job files, read incrementally from poll to poll. */
  #jobs: RecordFeed | undefined;
  #lastPushOkAt: number;
  #polling: Promise<void> | null = null;
  readonly #tasks = new Set<Promise<void>>();

  constructor(options: JobRunnerOptions) {
    this.#o = options;
    logEvents(this.events, options.logger, JOB_EVENT_LEVELS);
    this.#onChange = options.onChange;
    this.#lastPushOkAt = this.now;
  }

  get now(): number {
    return this.#o.now?.() ?? Date.now();
  }

  get slots(): number {
    return this.#o.slots;
  }

  get kinds(): string[] {
    return this.#o.kinds.names;
  }

  /** The kinds' parameters as the status record advertises them. */
  get kindParams(): ReturnType<JobKinds['advertised']> {
    return this.#o.kinds.advertised();
  }

  /** What the status record lists (and so renews the lease of). */
  running(): RunningJob[] {
    return [...this.#running.values()].map((r) => ({ id: r.id, attempt: r.token.attempt, claimId: r.token.claimId, startedAt: r.startedAt }));
  }

  /** Who hears that the running set changed (the daemon, to push a status at once). */
  set onChange(fn: (() => void) | undefined) {
    this.#onChange = fn;
  }

  /** A transaction of this server landed: the remote takes our pushes. */
  notePushed(at = this.now): void {
    this.#lastPushOkAt = Math.max(this.#lastPushOkAt, at);
  }

  /** One poll; concurrent calls share the one in flight. */
  poll(): Promise<void> {
    this.#polling ??= this.#poll().finally(() => {
      this.#polling = null;
    });
    return this.#polling;
  }

  /** Stops every job (agent shutdown) and waits for their results to be reported or given up. */
  async stop(): Promise<void> {
    for (const r of this.#running.values()) if (!r.report && !r.stopReason) this.#stopJob(r, 'shutdown');
    await Promise.allSettled([...this.#tasks]);
  }

  async #poll(): Promise<void> {
    await this.#selfStop();
    for (const r of this.#running.values()) if (r.report) await this.#report(r);
    if (this.#o.slots === 0 && this.#running.size === 0) return;
    let head: string;
    try {
      const snapshot = await this.#o.store.snapshot();
      head = snapshot.commit!;
      await this.#read(head);
    } catch (error) {
      this.events.emit('jobs.poll-failed', { reason: (error as Error).message });
      return;
    }
    for (const r of this.#running.values()) {
      if (r.report || r.stopReason) continue;
      const job = this.#mine.get(r.id);
      if (!job || !holdsToken(job, this.#o.server, r.token)) this.#stopJob(r, 'lost');
      else if (job.cancel) this.#stopJob(r, 'cancelled');
    }
    const startable = [...this.#mine.values()]
      .filter((j) => j.state === 'assigned' && j.assignment?.server === this.#o.server && !this.#running.has(j.id) && !j.cancel)
      .sort((a, b) => (a.assignment!.assignedAt < b.assignment!.assignedAt ? -1 : 1));
    for (const job of startable) {
      if (this.#running.size >= this.#o.slots) break;
      this.#track(this.#execute(job));
    }
  }

  /** Reads the job files changed since the last poll (all of them on the first). */
  async #read(head: string): Promise<void> {
    // Only live jobs (jobs/<id>.json): the archive holds finished ones.
    this.#jobs ??= this.#o.store.feed(['jobs'], { archives: 'ignore' });
    const read = await this.#jobs.read(head);
    // A full read (the first, or after a history rewrite) starts over from every job file.
    if (read.mode === 'full') this.#mine.clear();
    for (const change of read.mode === 'full' ? this.#jobs.entries.values() : read.changes) {
      const id = change.id!;
      if (change.oid === null || !change.record) {
        this.#mine.delete(id);
        continue;
      }
      const parsed = change.record;
      if (!parsed.ok || parsed.kind !== 'job') continue;
      const job = parsed.value as Job;
      if ((job.state === 'assigned' || job.state === 'running') && job.assignment?.server === this.#o.server) this.#mine.set(id, job);
      else this.#mine.delete(id);
    }
  }

  async #execute(job: Job): Promise<void> {
    const a = job.assignment!;
    const token = { attempt: a.attempt, claimId: a.claimId };
    const entry: Running = { id: job.id, token, startedAt: new Date(this.now).toISOString(), controller: new AbortController() };
    const settings = await this.#o.settings();
    const command = this.#o.kinds.resolve(job, { timeoutSeconds: settings.jobs.defaultTimeoutSeconds });
    const store = this.#o.store;
    if ('refused' in command) {
      this.events.emit('job.refused', { id: job.id, kind: job.kind, reason: command.refused });
      await store
        .transact(`job ${job.id}: refused by ${this.#o.server}`, refuseJobPlan(job.id, this.#o.server, token, command.refused), { actor: this.#o.server })
        .catch((error: unknown) => this.events.emit('job.refuse-failed', { id: job.id, reason: (error as Error).message }));
      return;
    }
    // Listed as running before the start commit: any status made after it lists the job.
    this.#running.set(job.id, entry);
    this.#onChange?.();
    const started = await store
      .transact(`job ${job.id}: start on ${this.#o.server}`, startJobPlan(job.id, this.#o.server, token), { actor: this.#o.server })
      .catch((error: unknown) => {
        this.events.emit('job.start-failed', { id: job.id, reason: (error as Error).message });
        return null;
      });
    if (started?.status !== 'committed') {
      this.#running.delete(job.id);
      this.#onChange?.();
      return;
    }
    this.notePushed();
    this.events.emit('job.started', { id: job.id, kind: job.kind, attempt: token.attempt });
    const logFile = path.join(this.#o.logDir, `${job.id}-${token.attempt}.log`);
    const outcome = await runJobProcess(command, { logFile, signal: entry.controller.signal });
    entry.report = this.#resultOf(entry, outcome, logFile);
    await this.#report(entry);
  }

  #resultOf(entry: Running, p: ProcessOutcome, logFile: string): NonNullable<Running['report']> {
    const result: JobResult = {
      exitCode: p.exitCode,
      finishedAt: new Date(this.now).toISOString(),
      durationMs: p.durationMs,
      outputTail: p.spawnError ? clip(`could not start: ${p.spawnError}`, 1000) : p.outputTail,
      logPath: logFile,
    };
    if (p.signal) result.signal = p.signal;
    if (entry.stopReason === 'cancelled') return { outcome: 'cancelled', result };
    if (entry.stopReason === 'self-stop') return { outcome: 'failed', result, reason: 'stopped by its agent: no push for too long' };
    if (entry.stopReason === 'lost') return { outcome: 'failed', result, reason: 'stopped: the job was taken from this server' };
    if (entry.stopReason === 'shutdown') return { outcome: 'failed', result, reason: 'stopped: its agent shut down' };
    if (p.timedOut) return { outcome: 'timeout', result };
    return { outcome: p.exitCode === 0 ? 'succeeded' : 'failed', result };
  }

  /** Sends a finished job's result; on failure it stays pending and the next poll tries again. */
  async #report(entry: Running): Promise<void> {
    if (entry.reporting) return;
    entry.reporting = true;
    const r = entry.report!;
    try {
      const lastGoodSettings = await this.#o.settings();
      const plan = finishJobPlan(entry.id, this.#o.server, entry.token, r.outcome, r.result, {
        remoteUrl: this.#o.remoteUrl,
        lastGoodSettings,
        ...(r.reason ? { reason: r.reason } : {}),
      });
      const result = await this.#o.store.transact(`job ${entry.id}: ${r.outcome} on ${this.#o.server}`, plan, { actor: this.#o.server });
      const landed = result.status === 'committed' || result.status === 'unchanged';
      if (landed) this.notePushed();
      this.#running.delete(entry.id);
      this.#onChange?.();
      const fields = { id: entry.id, attempt: entry.token.attempt, outcome: r.outcome };
      // Only the attempt that landed says whether the job had moved on (a replay may see it differently).
      if (landed && result.value?.stale) this.events.emit('job.stale-result', { ...fields, note: 'the job moved on; result recorded, not applied' });
      else if (result.status === 'aborted') this.events.emit('job.stale-result', { ...fields, note: `result not recorded: ${result.reason}` });
      else this.events.emit('job.finished', { ...fields, exitCode: r.result.exitCode });
    } catch (error) {
      this.events.emit('job.report-pending', { id: entry.id, reason: (error as Error).message });
    } finally {
      entry.reporting = false;
    }
  }

  #stopJob(r: Running, reason: NonNullable<Running['stopReason']>): void {
    r.stopReason = reason;
    this.events.emit('job.stopping', { id: r.id, attempt: r.token.attempt, reason });
    r.controller.abort();
  }

  async #selfStop(): Promise<void> {
    const settings = await this.#o.settings();
    const limit = this.#o.selfStopMs ?? defaultSelfStopMs(settings);
    if (this.now - this.#lastPushOkAt <= limit) return;
    for (const r of this.#running.values()) if (!r.report && !r.stopReason) this.#stopJob(r, 'self-stop');
  }

  #track(task: Promise<void>): void {
    const t = task
      .catch((error: unknown) => this.events.emit('job.failed-internally', { reason: (error as Error).message }))
      .finally(() => this.#tasks.delete(t));
    this.#tasks.add(t);
  }
}

/**
 * A partitioned agent must stop before the coordinator fails its jobs over: well inside
 * the dead window (deadAfterPeriods periods), leaving a period and a half of margin.
 */
export function defaultSelfStopMs(settings: ResolvedFleetSettings): number {
  const period = settings.heartbeat.periodSeconds;
  return Math.max(10, (settings.heartbeat.deadAfterPeriods - 1.5) * period) * 1000;
}
