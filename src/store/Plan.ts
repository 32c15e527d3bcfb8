import { ChangeSet } from './ChangeSet.js';
import type { Snapshot } from './Snapshot.js';

export interface PlanContext {
  /** 1 for the first try, 2 for the first replay after a lost race, ... */
  attempt: number;
  now: Date;
}

/**
 * Why a plan decided not to write. One union for every plan, so a caller can switch
 * on it (the CLI turns each into its error and exit code: src/cli/commands/raiseIfRefused.ts).
 */
export type AbortCode =
  /** The record is already in a state the change cannot apply to (already exists, already finished). */
  | 'conflict'
  /** The record the change is about does not exist. */
  | 'not-found'
  /** A record the change would rewrite is invalid in the repository: it is left alone. */
  | 'invalid-record'
  | 'unknown-kind'
  /** No server that runs the job's kind would accept its parameters (src/jobs/checkJobParams.ts). */
  | 'bad-params'
  | 'bad-dependency'
  | 'unknown-recipient'
  | 'unknown-message'
  | 'duplicate'
  /** The job is no longer this server's attempt (reassigned, cancelled, gone). */
  | 'not-assigned'
  /** The coordinator's lease is another's, or changed while the tick was decided. */
  | 'lease-held';

/** A plan's decision not to write, with a reason the caller can show. */
export interface Abort {
  readonly abort: true;
  readonly code: AbortCode;
  readonly reason: string;
  readonly data?: Record<string, unknown>;
}

export function abort(code: AbortCode, reason: string, data?: Record<string, unknown>): Abort {
  return data === undefined ? { abort: true, code, reason } : { abort: true, code, reason, data };
}

export function isAbort(value: unknown): value is Abort {
  return typeof value === 'object' && value !== null && (value as Abort).abort === true;
}

/** What a plan found, beside what it writes: `transact` hands it back from the attempt that landed. */
export interface Decision<T> {
  readonly decision: true;
  readonly changes: ChangeSet | null;
  readonly value: T;
}

/** Changes (or none) together with a value for the caller: the plan's findings, without side channels. */
export function decide<T>(changes: ChangeSet | null | undefined, value: T): Decision<T> {
  return { decision: true, changes: changes ?? null, value };
}

export function isDecision(value: unknown): value is Decision<unknown> {
  return typeof value === 'object' && value !== null && (value as Decision<unknown>).decision === true;
}

/** A change set, a typed abort, changes with a value, or nothing to write. */
export type PlanResult<T = undefined> = ChangeSet | Abort | Decision<T> | null | undefined | void;

/**
 * Reads the snapshot and says what to write. It may run several times (once per lost
 * race), so it must not have other side effects: what it found goes in its result.
 */
export type Plan<T = undefined> = (snapshot: Snapshot, context: PlanContext) => PlanResult<T> | Promise<PlanResult<T>>;

/** The change set of a plan's result (empty for an abort or nothing). */
export function changesOf(result: PlanResult<unknown>): ChangeSet | null {
  if (result instanceof ChangeSet) return result;
  if (isDecision(result)) return result.changes;
  return null;
}

/** The value of a plan's result (undefined unless it was a decision). */
export function planValue<T>(result: PlanResult<T>): T | undefined {
  return isDecision(result) ? result.value : undefined;
}
