import { PlanError } from '../errors/index.js';
import { MAX_RECORD_BYTES } from '../schema/recordKinds.js';
import type { ServerStatus } from '../schema/types.js';
import { parseRecordFile } from '../store/parseRecordFile.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';
import { sleep } from '../util/sleep.js';
import { foldPlan, type FoldOutcome } from './foldPlan.js';
import { nextPhaseDelay } from './relayPhase.js';

/** One server's latest heartbeat as the relay's inbox holds it (see RelayRepository). */
export interface RelayInboxEntry {
  server: string;
  /** The inbox commit it came in (a changed commit means a new heartbeat). */
  commit: string;
  content: Uint8Array | null;
  /** Why it cannot be read (then content is null). */
  reason?: string;
}

/** The relay's own repository, as the relay loop uses it (built in the composition root). */
export interface RelayInbox {
  /** Every inbox ref and the status file in it. */
  read(maxBytes: number): Promise<RelayInboxEntry[]>;
  /** Points the mirror the agents read at this upstream commit. */
  mirror(head: string): Promise<void>;
}

/** A chained relay's parent (another relay): where the site's heartbeats go and the fleet is read from. */
export interface RelayParent {
  /** Puts these validated records into the parent's inbox (one push, a few for a huge batch). */
  forward(items: readonly { server: string; content: Uint8Array }[]): Promise<number>;
  /** Fetches the parent's view of the fleet into the mirror agents read; returns its head. */
  refreshMirror(): Promise<string>;
}

export interface RelayOptions {
  /** The upstream fleet repository (a top or single relay), or... */
  upstream?: Store;
  /** ...the parent relay a site relay forwards to (a chain). Exactly one of the two. */
  parent?: RelayParent;
  inbox: RelayInbox;
  logger: Logger;
  /** The commit author of the folds (an op:<name> actor). */
  actor: string;
  /** Runs `fn` with the upstream cache held (the mirror fetches from it). */
  withUpstreamCache?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/** What one period did. */
export interface RelayTickReport {
  /** Heartbeats in the inbox that were new since the last fold. */
  pending: number;
  /** The fold's result: committed (one push), unchanged (nothing newer than upstream), forwarded (to the parent relay), or none. */
  result: 'committed' | 'unchanged' | 'forwarded' | 'none';
  written: string[];
  /** Inbox entries refused this period (bad record, wrong id, too large), with why. */
  refused: { server: string; reason: string }[];
  /** The upstream head the mirror now shows. */
  head: string | null;
}

/**
 * A site relay: once per period it reads every heartbeat its agents pushed into the inbox,
 * validates each as the upstream would (schema, size, the id inside equals the ref's
 * server), folds the new ones into ONE upstream transaction (one fetch, one push for the
 * whole site, replayed on a lost race like any other), and points the mirror the agents
 * read at the head it landed on. Nothing is removed from the inbox: a fold that fails
 * (upstream down) leaves every heartbeat where it was for the next period, and a record
 * already folded is skipped by seq, so a restarted relay re-reads its inbox safely.
 * A site relay of a chain (`parent`) forwards the validated records to its parent relay's
 * inbox instead of folding, and mirrors the parent: only the top relay pushes upstream.
 */
export class Relay {
  readonly #opts: RelayOptions;
  /** The inbox commit last folded (or refused) per server: only changed refs are work. */
  readonly #handled = new Map<string, string>();
  /** Refusal reasons already logged per server and commit (one line per bad push). */
  readonly #logged = new Set<string>();

  constructor(options: RelayOptions) {
    if (!options.upstream === !options.parent) throw new PlanError('a relay needs exactly one of an upstream store and a parent relay');
    this.#opts = options;
  }

  async tick(): Promise<RelayTickReport> {
    const { inbox, logger } = this.#opts;
    const entries = await inbox.read(MAX_RECORD_BYTES.status);
    const statuses: ServerStatus[] = [];
    const raw: { server: string; content: Uint8Array }[] = [];
    const commits = new Map<string, string>();
    const refused: RelayTickReport['refused'] = [];
    for (const entry of entries) {
      if (this.#handled.get(entry.server) === entry.commit) continue;
      const problem = entry.content === null ? (entry.reason ?? 'unreadable') : undefined;
      const parsed = entry.content === null ? undefined : parseRecordFile('status', entry.server, entry.content);
      if (problem !== undefined || !parsed?.ok) {
        const reason = problem ?? (parsed && !parsed.ok ? parsed.reason : 'unreadable');
        refused.push({ server: entry.server, reason });
        this.#handled.set(entry.server, entry.commit);
        const key = `${entry.server}\u0000${entry.commit}`;
        if (!this.#logged.has(key)) {
          this.#logged.add(key);
          logger.warn('relay.refused', { server: entry.server, commit: entry.commit.slice(0, 10), reason });
        }
        continue;
      }
      statuses.push(parsed.value);
      raw.push({ server: entry.server, content: entry.content! });
      commits.set(entry.server, entry.commit);
    }
    const report: RelayTickReport = { pending: statuses.length, result: 'none', written: [], refused, head: null };
    const { parent } = this.#opts;
    if (parent) {
      // A site relay in a chain: the exact validated bytes go to the parent's inbox; the
      // parent validates them again and folds them (seq keeps it from going backwards).
      // Marked handled only once the parent has them: a dead parent leaves them here.
      if (raw.length > 0) {
        await parent.forward(raw);
        for (const [server, commit] of commits) this.#handled.set(server, commit);
        report.result = 'forwarded';
        report.written = raw.map((r) => r.server);
      }
      report.head = await parent.refreshMirror();
      return report;
    }
    const upstream = this.#opts.upstream!;
    if (statuses.length === 0) {
      report.head = (await upstream.snapshot()).commit;
    } else {
      const result = await upstream.transact<FoldOutcome>(`relay: ${statuses.length} heartbeat${statuses.length === 1 ? '' : 's'}`, foldPlan(statuses), {
        actor: this.#opts.actor,
      });
      // foldPlan never aborts and no outbox is given: anything else is a bug, said as one.
      if (result.status !== 'committed' && result.status !== 'unchanged')
        throw new PlanError(`the relay's fold ended ${result.status}`, { hint: 'the inbox keeps every heartbeat; the next period tries again' });
      report.result = result.status;
      report.head = result.commit;
      report.written = result.value?.written ?? [];
      for (const [server, commit] of commits) this.#handled.set(server, commit);
      for (const s of result.value?.skipped ?? []) logger.debug('relay.skipped', s);
    }
    if (report.head) {
      const head = report.head;
      await (this.#opts.withUpstreamCache ?? ((fn) => fn()))(() => inbox.mirror(head));
    }
    return report;
  }

  /**
   * Ticks every `periodMs` until `signal` aborts (after the tick in flight), at `phaseMs`
   * into each period when given (relayPhaseMs), else a period after the last tick began.
   * A failed tick (the upstream down) is logged once per kind of trouble; the inbox keeps
   * everything for the next one.
   */
  async run(options: { periodMs: number; phaseMs?: number; signal: AbortSignal; onTick?: (report: RelayTickReport) => void }): Promise<void> {
    const { logger } = this.#opts;
    let failing: string | null = null;
    while (!options.signal.aborted) {
      const started = Date.now();
      try {
        const report = await this.tick();
        if (failing) logger.info('relay.recovered', { after: failing });
        failing = null;
        logger[report.result === 'committed' || report.result === 'forwarded' ? 'info' : 'debug']('relay.tick', {
          pending: report.pending,
          result: report.result,
          written: report.written.length,
          refused: report.refused.length,
          head: report.head?.slice(0, 10),
          ms: Date.now() - started,
        });
        options.onTick?.(report);
      } catch (error) {
        const reason = (error as Error).message;
        if (failing !== reason) logger.warn('relay.tick-failed', { code: (error as { code?: string }).code ?? 'E_INTERNAL', reason });
        failing = reason;
      }
      const wait = options.phaseMs === undefined ? options.periodMs - (Date.now() - started) : nextPhaseDelay(Date.now(), options.periodMs, options.phaseMs);
      await sleep(Math.max(0, wait), options.signal).catch(() => undefined);
    }
  }
}
