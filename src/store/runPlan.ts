import { memorySnapshot, type MemoryFiles } from './memorySnapshot.js';
import { changesOf, isAbort, planValue, type AbortCode, type Plan } from './Plan.js';
import { prepareChanges } from './prepareChanges.js';

/** What one attempt of a plan decided, as a transaction would commit it. */
export interface PlanOutcome<T> {
  /** The abort's code, reason and data, when the plan refused. */
  aborted?: { code: AbortCode; reason: string; data?: Record<string, unknown> };
  /** Path -> the record (or README text) written, parsed back from the committed bytes. */
  writes: Record<string, unknown>;
  deletes: string[];
  value: T | undefined;
}

/**
 * Runs a plan once, as the first attempt of a transaction, on files held in memory
 * (memorySnapshot), and says what the commit would hold: records validated against
 * their schema, writes that change nothing left out. For table tests of plans.
 */
export async function runPlan<T>(plan: Plan<T>, files: MemoryFiles | null, now: Date): Promise<PlanOutcome<T>> {
  const snapshot = memorySnapshot(files);
  const result = await plan(snapshot, { attempt: 1, now });
  const changeSet = changesOf(result);
  const changes = changeSet ? await prepareChanges(changeSet, snapshot) : [];
  const outcome: PlanOutcome<T> = { writes: {}, deletes: [], value: planValue(result) };
  if (isAbort(result))
    outcome.aborted =
      result.data === undefined ? { code: result.code, reason: result.reason } : { code: result.code, reason: result.reason, data: result.data };
  for (const c of changes) {
    if (c.content === null) outcome.deletes.push(c.path);
    else outcome.writes[c.path] = c.path.endsWith('.json') ? JSON.parse(Buffer.from(c.content).toString('utf8')) : Buffer.from(c.content).toString('utf8');
  }
  return outcome;
}
