import type { FleetSettings } from '../schema/types.js';
import { abort, type Abort } from '../store/Plan.js';
import type { Snapshot } from '../store/Snapshot.js';

/** fleet.json as a reader finds it: absent (defaults apply), valid, or present but invalid. */
export type FleetRecord = { state: 'absent' } | { state: 'valid'; fleet: FleetSettings } | { state: 'invalid'; reason: string };

export async function readFleetRecord(snapshot: Pick<Snapshot, 'inspect'>): Promise<FleetRecord> {
  const parsed = await snapshot.inspect('fleet');
  if (!parsed) return { state: 'absent' };
  return parsed.ok ? { state: 'valid', fleet: parsed.value } : { state: 'invalid', reason: parsed.reason };
}

/** What a reader says when fleet.json is present but invalid (once per run). */
export function invalidFleetWarning(reason: string, effect = 'defaults apply and its drain list is ignored'): string {
  return `fleet.json is invalid (${reason}): ${effect}; fix fleet.json (gitfleet validate)`;
}

/** The data code of a plan that refused to rewrite a record it could not parse. */
export const UNREADABLE_RECORD = 'invalid-record' as const;

/**
 * The abort of every plan that would rewrite fleet.json when it exists but is invalid:
 * a plan that rewrote it from what it could read (nothing) would lose the name, the
 * webhooks, the thresholds and the drain list. The CLI turns it into exit 3.
 */
export function refuseInvalidFleet(reason: string): Abort {
  return abort(UNREADABLE_RECORD, `fleet.json is invalid (${reason}); refusing to rewrite it: fix fleet.json (gitfleet validate) first`, {
    path: 'fleet.json',
  });
}
