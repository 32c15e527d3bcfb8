import type { EventLevels } from '../util/TypedEvents.js';

/** What an agent's job runner says happened: `runner.events.on(...)` in tests, the logger in processes. */
export type JobEvents = {
  'job.started': { id: string; kind: string; attempt: number };
  'job.finished': { id: string; attempt: number; outcome: string; exitCode: number | null | undefined } & Record<string, unknown>;
  /** The result was recorded but the job had moved on (or it could not be recorded at all). */
  'job.stale-result': { id: string; attempt: number; outcome: string; note: string } & Record<string, unknown>;
  /** This server will not run the job (its kind or parameters are refused locally). */
  'job.refused': { id: string; kind: string; reason: string };
  'job.refuse-failed': { id: string; reason: string };
  'job.start-failed': { id: string; reason: string };
  /** The result waits to be recorded (the remote is unreachable); it is retried. */
  'job.report-pending': { id: string; reason: string };
  'job.stopping': { id: string; attempt: number; reason: string };
  'job.failed-internally': { reason: string };
  'jobs.poll-failed': { reason: string };
};

export const JOB_EVENT_LEVELS: EventLevels<JobEvents> = {
  'job.started': 'info',
  'job.finished': 'info',
  'job.stale-result': 'warn',
  'job.refused': 'warn',
  'job.refuse-failed': 'warn',
  'job.start-failed': 'warn',
  'job.report-pending': 'debug',
  'job.stopping': 'warn',
  'job.failed-internally': 'error',
  'jobs.poll-failed': 'debug',
};
