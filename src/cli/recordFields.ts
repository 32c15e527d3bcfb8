import type { Job } from '../schema/types.js';
import type { ServerRow } from '../status/fleetOverview.js';

/**
 * The top-level fields `--json=a,b` may select for commands that print records, optional
 * ones included: selecting `retryAt` is not an error on a day no job has one. Kept equal
 * to shared/job.schema.json by recordFields.test.ts; docs/json.md lists them.
 */
export const JOB_FIELDS = [
  'schemaVersion',
  'id',
  'kind',
  'params',
  'priority',
  'state',
  'createdAt',
  'createdBy',
  'updatedAt',
  'notBefore',
  'dependsOn',
  'constraints',
  'timeoutSeconds',
  'maxAttempts',
  'attempts',
  'attemptsAtRetry',
  'failures',
  'lostLeases',
  'assignment',
  'retryAt',
  'cancel',
  'result',
  'reason',
  'history',
  'imported',
] as const satisfies readonly (keyof Job)[];

/** `gitfleet status --json`: one row per server. */
export const SERVER_ROW_FIELDS = [
  'server',
  'health',
  'reasons',
  'updatedAt',
  'ageSeconds',
  'cpuPercent',
  'memoryPercent',
  'diskPercent',
  'load1',
  'runningJobs',
  'heldJobs',
  'labels',
  'draining',
  'maintenanceUntil',
  'uptime',
] as const satisfies readonly (keyof ServerRow)[];
