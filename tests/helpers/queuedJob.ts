import type { Job } from '../../src/schema/types.js';

/** A queued build job with no owner yet: what claim races start from. */
export function queuedJob(id: string): Job {
  return {
    schemaVersion: 1,
    id,
    kind: 'build',
    params: {},
    priority: 'normal',
    state: 'queued',
    createdAt: new Date().toISOString(),
    createdBy: 'op:test',
    attempts: 0,
  };
}
