import type { Job } from '../schema/types.js';
import type { BuildActors } from './buildActors.js';
import { field, numberOf, oneLine, textOf } from './cleanText.js';
import { idSuffix, toDnsLabel } from './mapIds.js';
import { normaliseTime } from './normaliseTime.js';

const STATES: Record<string, 'queued' | 'running' | 'succeeded' | 'dead' | 'cancelled'> = {
  queued: 'queued',
  pending: 'queued',
  new: 'queued',
  waiting: 'queued',
  running: 'running',
  building: 'running',
  in_progress: 'running',
  assigned: 'running',
  claimed: 'running',
  completed: 'succeeded',
  complete: 'succeeded',
  done: 'succeeded',
  success: 'succeeded',
  succeeded: 'succeeded',
  // Build has no retries: its "failed" is final, which in gitfleet is dead.
  failed: 'dead',
  failure: 'dead',
  error: 'dead',
  cancelled: 'cancelled',
  canceled: 'cancelled',
};
const PRIORITY_NAMES: Record<string, Job['priority']> = {
  critical: 'critical',
  urgent: 'critical',
  high: 'high',
  normal: 'normal',
  medium: 'normal',
  low: 'low',
};
/** Fields of a Build job that gitfleet keeps in its own fields; the other scalars become parameters. */
const OWN_FIELDS = new Set(
  'id job_id type kind status state priority assigned_to worker server created_at created submitted_at timestamp started_at completed_at finished_at updated_at created_by submitted_by result error output exit_code attempts'.split(
    ' ',
  ),
);
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const KIND = /^[a-z][a-z0-9._-]{0,63}$/;

/** The claim id of an imported running job: its server's status names the same one. */
export function importedClaimId(original: string): string {
  return `${idSuffix(`claim:${original}`)}${idSuffix(`claim2:${original}`)}`;
}

/**
 * One Build job (an entry of coordination/jobs.json, `original` its id, `id` the gitfleet id
 * it maps to) as a gitfleet job, with notes on what was changed on the way; or why not.
 * States: queued/pending -> queued; running (with the server it runs on) -> running, with
 * an assignment whose claim id derives from the job (so the server's status names the same
 * attempt; without a server: queued); completed -> succeeded and failed -> dead (Build does
 * not retry), both archived by the month they finished in; cancelled -> cancelled. An
 * unknown state, or no time at all (created_at, or one in the id), is a reason to skip.
 */
export function mapBuildJob(
  entry: Record<string, unknown>,
  original: string,
  id: string,
  actors: BuildActors,
  file: string,
): { job: Job; archiveMonth?: string; notes: string[] } | { skip: string } {
  const notes: string[] = [];
  if (id !== original) notes.push(`id ${JSON.stringify(oneLine(original, 80))} is not a DNS label: mapped to ${id}`);
  const rawState =
    textOf(field(entry, 'status', 'state'))
      ?.trim()
      .toLowerCase() ?? '';
  let state = STATES[rawState];
  if (!state)
    return { skip: rawState ? `state ${JSON.stringify(oneLine(rawState, 40))} is not one of Build's (queued, running, completed, failed)` : 'no state' };
  const fromId = /^job[_-](\d{9,13})(?:\D|$)/.exec(original)?.[1];
  const createdAt = normaliseTime(field(entry, 'created_at', 'created', 'submitted_at', 'timestamp')) ?? (fromId ? normaliseTime(Number(fromId)) : null);
  if (!createdAt) return { skip: 'no creation time (created_at, or a time in the id)' };
  const startedAt = normaliseTime(field(entry, 'started_at')) ?? undefined;
  const finishedAt = normaliseTime(field(entry, 'completed_at', 'finished_at')) ?? undefined;
  const updatedAt = [createdAt, startedAt, finishedAt, normaliseTime(field(entry, 'updated_at')) ?? undefined]
    .filter((t): t is string => !!t)
    .sort()
    .at(-1)!;

  const kindText = textOf(field(entry, 'type', 'kind'));
  let kind = 'build';
  if (kindText) {
    const k = toDnsLabel(kindText);
    if (KIND.test(kindText)) kind = kindText;
    else if (KIND.test(k)) kind = k;
    if (kind !== kindText) notes.push(`type ${JSON.stringify(oneLine(kindText, 40))} is not a gitfleet kind: kind ${kind}`);
  }
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry)) {
    if (OWN_FIELDS.has(name) || Object.keys(params).length >= 32) continue;
    const text = textOf(value) ?? (typeof value === 'boolean' ? String(value) : null);
    if (text === null) continue;
    if (!PARAM_NAME.test(name) || text.length > 4096) {
      notes.push(`field ${JSON.stringify(oneLine(name, 40))} left out (not a parameter name, or longer than 4096)`);
      continue;
    }
    params[name] = text;
  }
  const job: Job = {
    schemaVersion: 1,
    id,
    kind,
    params,
    priority: priorityOf(field(entry, 'priority')),
    state,
    createdAt,
    createdBy: createdByOf(entry, actors),
    attempts: 0,
    updatedAt,
  };
  const assignedTo = textOf(field(entry, 'assigned_to', 'worker', 'server'));
  const server = assignedTo ? (actors.server(assignedTo) ?? toDnsLabel(assignedTo)) : undefined;
  if (state === 'running' && !server) {
    state = job.state = 'queued';
    notes.push('running without a server: imported as queued');
  }
  if (state === 'running') {
    const claimId = importedClaimId(original);
    job.attempts = 1;
    job.assignment = { server: server!, attempt: 1, claimId, assignedAt: startedAt ?? createdAt, assignedBy: 'op:build', ...(startedAt ? { startedAt } : {}) };
  }
  const terminal = state === 'succeeded' || state === 'dead' || state === 'cancelled';
  if (terminal) {
    const ended = finishedAt ?? updatedAt;
    const exit = numberOf(field(entry, 'exit_code', 'result.exit_code'));
    const output = textOf(field(entry, 'error', 'output', 'result.error', 'result.output', 'result'));
    if (state !== 'cancelled') {
      job.result = {
        finishedAt: ended,
        ...(exit !== null && Number.isInteger(exit) && Math.abs(exit) <= 1000 ? { exitCode: exit } : {}),
        ...(output ? { outputTail: output.slice(-16_384) } : {}),
        ...(startedAt && finishedAt && finishedAt >= startedAt ? { durationMs: Date.parse(finishedAt) - Date.parse(startedAt) } : {}),
      };
    }
    if (server) {
      job.attempts = 1;
      job.history = [
        {
          attempt: 1,
          server,
          ...(startedAt ? { startedAt } : {}),
          endedAt: ended,
          outcome: state === 'succeeded' ? 'succeeded' : state === 'dead' ? 'failed' : 'cancelled',
        },
      ];
    }
    if (state === 'dead') job.reason = oneLine(`failed in Build${output ? `: ${output}` : ''}`);
    if (state === 'cancelled') job.reason = 'cancelled in Build';
  }
  job.imported = {
    system: 'build',
    key: `${file}#${oneLine(original, 200)}`,
    ...(id !== original ? { id: oneLine(original) } : {}),
    state: oneLine(rawState, 40),
  };
  return terminal ? { job, archiveMonth: (finishedAt ?? updatedAt).slice(0, 7), notes } : { job, notes };
}

/** Build's priority: a number (lower is more urgent; 1 is its usual) or a name. */
function priorityOf(value: unknown): Job['priority'] {
  const n = numberOf(value);
  if (n !== null) return n <= 0 ? 'critical' : n <= 1 ? 'high' : n <= 3 ? 'normal' : 'low';
  return PRIORITY_NAMES[String(textOf(value) ?? '').toLowerCase()] ?? 'normal';
}

function createdByOf(entry: Record<string, unknown>, actors: BuildActors): string {
  const by = textOf(field(entry, 'created_by', 'submitted_by'));
  return by ? actors.actor(by) : 'op:build';
}
