import type { FleetSettings, MaintenanceWindow } from '../schema/types.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { abort, decide } from '../store/Plan.js';
import type { Plan } from '../store/Store.js';
import { KEEP_ENDED_MS, MAX_WINDOW_MS } from './maintenanceWindows.js';
import { readFleetRecord, refuseInvalidFleet } from './readFleetRecord.js';

/** fleet.json holds at most this many windows (its schema's bound). */
export const MAX_WINDOWS = 200;

export type MaintenanceChange =
  | { kind: 'start'; target: string; durationMs: number; reason?: string; by: string; id: string }
  | { kind: 'end'; target: string; by: string };

export interface MaintenanceOutcome {
  /** The window added, or the windows ended early. */
  windows: MaintenanceWindow[];
  /** Windows dropped because they ended more than KEEP_ENDED_MS ago. */
  pruned: number;
}

/**
 * Adds a maintenance window to fleet.json from now, or ends the target's current ones
 * now; either way it prunes one-off windows that ended long ago. Like the drain list,
 * the windows live in fleet.json (their source of truth; a server in maintenance may be
 * silent throughout), and a fleet.json this reader cannot parse is never rewritten.
 */
export function maintenancePlan(change: MaintenanceChange): Plan<MaintenanceOutcome> {
  return async (snapshot, { now }) => {
    const record = await readFleetRecord(snapshot);
    if (record.state === 'invalid') return refuseInvalidFleet(record.reason);
    const current: FleetSettings = record.state === 'valid' ? record.fleet : { schemaVersion: 1 };
    const t = now.getTime();
    const before = current.maintenance ?? [];
    const kept = before.filter((w) => !endedLongAgo(w, t));
    const pruned = before.length - kept.length;
    let touched: MaintenanceWindow[];
    let next: MaintenanceWindow[];
    if (change.kind === 'start') {
      if (kept.length >= MAX_WINDOWS) return abort('conflict', `fleet.json already holds ${MAX_WINDOWS} maintenance windows`);
      const window: MaintenanceWindow = {
        id: change.id,
        target: change.target,
        start: now.toISOString(),
        end: new Date(t + Math.min(change.durationMs, MAX_WINDOW_MS)).toISOString(),
        ...(change.reason ? { reason: change.reason } : {}),
        by: change.by,
      };
      touched = [window];
      next = [...kept, window];
    } else {
      touched = [];
      next = kept.map((w) => {
        if (w.target !== change.target || w.weekly || !isActive(w, t)) return w;
        const ended = { ...w, end: now.toISOString() };
        touched.push(ended);
        return ended;
      });
      if (touched.length === 0) {
        const weekly = kept.some((w) => w.target === change.target && w.weekly);
        return abort(
          'not-found',
          `no one-off maintenance window of ${change.target} is open now${weekly ? ' (weekly windows end by themselves; remove them from fleet.json)' : ''}`,
        );
      }
    }
    const fleet: FleetSettings = { ...current, maintenance: next };
    if (next.length === 0) delete fleet.maintenance;
    return decide(new ChangeSet().put('fleet', fleet), { windows: touched, pruned });
  };
}

function isActive(w: MaintenanceWindow, now: number): boolean {
  const start = Date.parse(w.start ?? '');
  const end = Date.parse(w.end ?? '');
  return start <= now && now < Math.min(end, start + MAX_WINDOW_MS);
}

/** A one-off window whose end (or its 7-day cut) lies more than KEEP_ENDED_MS back. Weekly ones stay. */
function endedLongAgo(w: MaintenanceWindow, now: number): boolean {
  if (w.weekly) return w.end !== undefined && Date.parse(w.end) < now - KEEP_ENDED_MS;
  const start = Date.parse(w.start ?? '');
  const end = Math.min(Date.parse(w.end ?? ''), start + MAX_WINDOW_MS);
  return Number.isFinite(end) && end < now - KEEP_ENDED_MS;
}
