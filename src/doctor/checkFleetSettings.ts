import { type ResolvedFleetSettings, resolveFleetSettingsWithWarnings } from '../settings/fleetSettings.js';
import { readFleetRecord } from '../settings/readFleetRecord.js';
import type { Snapshot } from '../store/Snapshot.js';
import { type CheckResult, fail, ok, warn } from './DoctorCheck.js';

/** fleet.json: present, valid, and whether any setting had to be clamped. */
export async function checkFleetJson(snapshot: Snapshot, remoteUrl: string): Promise<{ result: CheckResult; settings: ResolvedFleetSettings }> {
  const record = await readFleetRecord(snapshot);
  if (record.state === 'absent') {
    return {
      result: warn('fleet.json', 'fleet.json is absent: defaults apply', 'run `gitfleet init` to write it'),
      settings: resolveFleetSettingsWithWarnings(null, remoteUrl).settings,
    };
  }
  if (record.state === 'invalid') {
    return {
      result: fail('fleet.json', `fleet.json is invalid (${record.reason}): defaults apply`, 'fix fleet.json (`gitfleet validate` lists the problem)', 3),
      settings: resolveFleetSettingsWithWarnings(null, remoteUrl).settings,
    };
  }
  const { settings, warnings } = resolveFleetSettingsWithWarnings(record.fleet, remoteUrl);
  if (warnings.length)
    return {
      result: warn('fleet.json', `fleet.json "${settings.name}": ${warnings.join('; ')}`, 'edit those settings in fleet.json to values within bounds'),
      settings,
    };
  return { result: ok('fleet.json', `fleet.json "${settings.name}" is valid`), settings };
}
