import { describe, expect, it } from 'vitest';
import type { Job, Message, ServerStatus } from '../schema/types.js';
import { runPlan } from '../store/runPlan.js';
import { importPlan } from './importPlan.js';
import type { ImportRecords } from './parseBuildTree.js';

const NOW = new Date('2026-11-30T00:00:00Z');
const status: ServerStatus = {
  schemaVersion: 1,
  server: 'build1',
  updatedAt: '2025-10-29T12:00:00.000Z',
  seq: 0,
  health: { state: 'healthy' },
  imported: { system: 'build', key: 'build1/status.json' },
};
const job: Job = {
  schemaVersion: 1,
  id: 'job-1',
  kind: 'build',
  params: {},
  priority: 'normal',
  state: 'succeeded',
  createdAt: '2025-10-29T12:00:00.000Z',
  createdBy: 'op:build',
  attempts: 1,
  result: { finishedAt: '2025-10-29T13:00:00.000Z' },
  imported: { system: 'build', key: 'coordination/jobs.json#job_1', id: 'job_1' },
};
const message: Message = {
  schemaVersion: 1,
  id: '01k8qxdng0m57p79gcg08tn86f',
  from: 'build1',
  to: 'all',
  priority: 'normal',
  type: 'info',
  subject: 'hi',
  createdAt: '2025-10-29T12:00:00.000Z',
  thread: '01k8qxdng0m57p79gcg08tn86f',
  imported: { system: 'build', key: 'messages/a.txt' },
};
const records: ImportRecords = {
  statuses: [{ source: 'build1/status.json', record: status, notes: [] }],
  jobs: [{ source: 'coordination/jobs.json#job_1', job, archiveMonth: '2025-10', notes: ['id mapped'] }],
  messages: [{ source: 'messages/a.txt', record: message, notes: [] }],
};
const json = (v: unknown) => JSON.stringify(v);

describe('importPlan', () => {
  it('writes every record where it belongs, finished jobs in the archive', async () => {
    const out = await runPlan(importPlan(records), { 'README.md': 'x' }, NOW);
    expect(Object.keys(out.writes).sort()).toEqual(['jobs/archive/2025-10/job-1.json', 'messages/01k8qxdng0m57p79gcg08tn86f.json', 'status/build1.json']);
    expect(out.value!.map((l) => l.outcome)).toEqual(['imported', 'imported', 'imported']);
    expect(out.value![1]).toMatchObject({ note: 'id mapped', target: 'jobs/archive/2025-10/job-1.json' });
  });

  it('writes nothing over what is there: an agent status, an invalid file, a source imported before (even moved)', async () => {
    const agentStatus = { ...status, seq: 9, imported: undefined };
    const movedMessage = { ...message, id: '01k8qxdng0aaaaaaaaaaaaaaaa', thread: '01k8qxdng0aaaaaaaaaaaaaaaa' };
    const out = await runPlan(
      importPlan(records),
      {
        'status/build1.json': json(agentStatus),
        'jobs/archive/2025-10/job-1.json': '{ not json',
        'messages/archive/2025-10/01k8qxdng0aaaaaaaaaaaaaaaa.json': json(movedMessage),
      },
      NOW,
    );
    expect(out.writes).toEqual({});
    expect(out.value!.map((l) => `${l.outcome}: ${l.reason}`)).toEqual([
      'present: status/build1.json exists: left alone',
      'present: jobs/archive/2025-10/job-1.json exists: left alone',
      'present: imported before',
    ]);
  });
});

describe('importPlan on a record the mapping got wrong', () => {
  it('skips that record with the schema reason and writes the others', async () => {
    const bad = { ...status, server: 'build2', cpu: { usagePercent: 400 } };
    const out = await runPlan(importPlan({ ...records, statuses: [{ source: 'build2/status.json', record: bad, notes: [] }] }), null, NOW);
    expect(Object.keys(out.writes).sort()).toEqual(['jobs/archive/2025-10/job-1.json', 'messages/01k8qxdng0m57p79gcg08tn86f.json']);
    expect(out.value![0]).toMatchObject({
      source: 'build2/status.json',
      outcome: 'skipped',
      reason: expect.stringMatching(/^the mapped record is not valid: /),
    });
  });
});
