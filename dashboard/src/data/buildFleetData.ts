import { resolveFleetSettings } from '../../../src/settings/fleetSettings.js';
import type { RecordTypes } from '../../../src/schema/recordKinds.js';
import type { FleetSettings, Job, Message, ReadReceipts, ServerStatus } from '../../../src/schema/types.js';
import { evaluateHealth, HEALTH_ORDER } from '../../../src/status/evaluateHealth.js';
import { uptimeView } from '../../../src/status/uptimeView.js';
import { parseRecordText, type RecordValidator } from '../../../src/store/parseRecordText.js';
import { classifyPath } from '../../../src/store/recordPaths.js';
import type { FleetData, InvalidEntry, RawFleet, ServerView } from './FleetData.js';

/**
 * Turns the untrusted files of one commit into what the page shows. Every file is
 * checked like the CLI checks it (size, JSON, schema, id = file name); a bad one becomes
 * an entry in `invalid` with its reason and never stops the others from showing.
 */
export function buildFleetData(raw: RawFleet, validate: RecordValidator, now = Date.now()): FleetData {
  const invalid: InvalidEntry[] = raw.skipped.map((s) => ({ path: s.path, reason: s.reason }));
  const records: { [K in keyof RecordTypes]: RecordTypes[K][] } = {
    fleet: [],
    status: [],
    job: [],
    message: [],
    receipts: [],
    notifications: [],
    coordinator: [],
  };
  for (const [path, text] of raw.files) {
    const c = classifyPath(path);
    if (c.type === 'ignored') continue;
    if (c.type === 'unexpected') {
      invalid.push({ path, reason: c.reason });
      continue;
    }
    if (c.month !== undefined) continue;
    const parsed = parseRecordText(c.kind, c.id, text, validate);
    if (parsed.ok) (records[c.kind] as unknown[]).push(parsed.value);
    else invalid.push({ path, reason: parsed.reason });
  }
  const settings = resolveFleetSettings((records.fleet[0] as FleetSettings | undefined) ?? null);
  const servers = judgeServers(records.status, settings, now);
  const jobs = (records.job as Job[]).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const messages = (records.message as Message[]).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  invalid.sort((a, b) => a.path.localeCompare(b.path));
  return {
    commit: raw.commit,
    generatedAt: raw.generatedAt,
    judgedAt: now,
    settings,
    servers,
    jobs,
    messages,
    receipts: new Map((records.receipts as ReadReceipts[]).map((r) => [r.server, r])),
    coordinator: records.coordinator[0] ?? null,
    invalid,
  };
}

/** Health verdicts at `now`, worst first: redone as time passes, without parsing anything again. */
export function judgeServers(statuses: readonly ServerStatus[], settings: FleetData['settings'], now = Date.now()): ServerView[] {
  const drained = new Set(settings.drain);
  const judged = statuses.map((status) => {
    const verdict = evaluateHealth(status, settings, now);
    return {
      id: status.server,
      status,
      verdict,
      draining: drained.has(status.server) || status.draining === true,
      uptime: uptimeView(status, settings, verdict, now),
    };
  });
  return judged.sort((a, b) => HEALTH_ORDER.indexOf(a.verdict.state) - HEALTH_ORDER.indexOf(b.verdict.state) || a.id.localeCompare(b.id));
}
