import { InvalidRecordError, UsageError } from '../errors/index.js';
import type { Job, Priority } from '../schema/types.js';
import { validateRecord } from '../schema/validateRecord.js';
import { isValidId } from '../store/recordPaths.js';
import { newId } from '../util/ids.js';

export interface JobInput {
  kind: string;
  params?: Record<string, string>;
  priority?: Priority;
  constraints?: Job['constraints'];
  dependsOn?: string[];
  maxAttempts?: number;
  timeoutSeconds?: number;
  notBefore?: Date;
  createdBy: string;
  now?: number;
}

const KIND = /^[a-z][a-z0-9._-]{0,63}$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_PARAM_CHARS = 4096;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A new job from what an operator typed, or an error that names the offending field.
 * Only a kind and parameters: which command a kind runs is each agent's own business.
 * Pure: whether the dependencies exist is checked by submitJobPlan on the head.
 */
export function composeJob(input: JobInput): Job {
  const now = input.now ?? Date.now();
  if (!KIND.test(input.kind))
    throw new UsageError(`job kind ${JSON.stringify(input.kind.slice(0, 80))} is not valid`, {
      hint: 'a kind is lowercase letters, digits, ".", "_" or "-", starting with a letter (at most 64)',
    });
  const params = input.params ?? {};
  if (Object.keys(params).length > 32) throw new UsageError('a job takes at most 32 parameters');
  for (const [name, value] of Object.entries(params)) {
    if (!PARAM_NAME.test(name))
      throw new UsageError(`parameter name ${JSON.stringify(name.slice(0, 80))} is not valid`, { hint: 'letters, digits and _, not starting with a digit' });
    if (value.length > MAX_PARAM_CHARS)
      throw new UsageError(`parameter ${name} is ${value.length} characters; the limit is ${MAX_PARAM_CHARS}`, {
        hint: 'pass a reference (a path, a URL, a commit) instead of the data',
      });
    if (CONTROL.test(value)) throw new UsageError(`parameter ${name} contains control characters (a newline?)`, { hint: 'parameters are single-line text' });
  }
  for (const dep of input.dependsOn ?? []) {
    if (!isValidId(dep)) throw new UsageError(`--depends-on ${JSON.stringify(String(dep).slice(0, 80))} is not a job id`);
  }
  const job: Job = {
    schemaVersion: 1,
    id: newId(now),
    kind: input.kind,
    params: { ...params },
    priority: input.priority ?? 'normal',
    state: 'queued',
    createdAt: new Date(now).toISOString(),
    createdBy: input.createdBy,
    attempts: 0,
  };
  if (input.dependsOn?.length) job.dependsOn = [...new Set(input.dependsOn)];
  if (input.constraints && Object.keys(input.constraints).length > 0) job.constraints = input.constraints;
  if (input.maxAttempts !== undefined) job.maxAttempts = input.maxAttempts;
  if (input.timeoutSeconds !== undefined) job.timeoutSeconds = input.timeoutSeconds;
  if (input.notBefore) job.notBefore = input.notBefore.toISOString();
  const errors = validateRecord('job', job);
  if (errors.length > 0) throw new InvalidRecordError(`the job is not valid: ${errors[0]}`, { hint: 'see shared/job.schema.json for the limits' });
  return job;
}
