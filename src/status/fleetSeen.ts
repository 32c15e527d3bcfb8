import type { FleetSettings } from '../schema/types.js';
import type { ParsedFile } from '../store/parseRecordFile.js';
import type { Snapshot } from '../store/Snapshot.js';

/** What a transaction saw of the fleet: fleet.json (or why it is invalid) and the number of status files. */
export interface FleetSeen {
  settings: FleetSettings | null;
  invalid?: string;
  size: number;
  seenAt: number;
}

/** What an agent keeps of the fleet between runs: the settings in force, the size, when it looked. */
export interface FleetMemory {
  settings: FleetSettings | null;
  size: number;
  seenAt: number;
}

export function fleetSeenOf(fleet: ParsedFile<'fleet'> | undefined, statusPaths: readonly string[], now: number): FleetSeen {
  const size = statusPaths.filter((p) => p.endsWith('.json')).length;
  if (fleet && !fleet.ok) return { settings: null, invalid: fleet.reason, size, seenAt: now };
  return { settings: fleet?.ok ? fleet.value : null, size, seenAt: now };
}

/** Reads what a snapshot says about the fleet (the count is what the caller learns, never what a write depends on). */
export async function readFleetSeen(snapshot: Pick<Snapshot, 'inspect' | 'paths'>, now: number): Promise<FleetSeen> {
  const [fleet, paths] = await Promise.all([snapshot.inspect('fleet'), snapshot.paths('status', { loose: true })]);
  return fleetSeenOf(fleet, paths, now);
}

/**
 * What the agent keeps once it saw the fleet. An invalid fleet.json leaves the last
 * valid settings in force (the caller says so loudly), so a broken file does not
 * silently lift a drain or reset the heartbeat period; the size is counted either way.
 */
export function rememberFleet(previous: FleetMemory | null, seen: FleetSeen): FleetMemory {
  const settings = seen.invalid !== undefined ? (previous?.settings ?? null) : seen.settings;
  return { settings, size: seen.size, seenAt: seen.seenAt };
}
