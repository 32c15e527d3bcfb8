import { describe, expect, it } from 'vitest';
import { BuildActors } from './buildActors.js';
import { parseBuildJobs } from './parseBuildJobs.js';

const actors = new BuildActors(
  new Map([
    ['build1', 'build1'],
    ['Build_2', 'build-2'],
  ]),
);
const FILE = 'coordination/jobs.json';
const base = { id: 'job_1761781030', type: 'build', created_at: '2025-10-29T23:37:10Z' };

describe('parseBuildJobs', () => {
  it.each([
    ['queued', {}, 'queued', undefined],
    ['pending', {}, 'queued', undefined],
    ['running', { assigned_to: 'Build_2', started_at: 1761781100 }, 'running', undefined],
    ['running', {}, 'queued', undefined],
    ['completed', { assigned_to: 'build1', completed_at: '2025-11-01T00:00:00Z' }, 'succeeded', '2025-11'],
    ['failed', { assigned_to: 'build1', completed_at: 1761800000, error: 'exit 1' }, 'dead', '2025-10'],
    ['CANCELLED', {}, 'cancelled', '2025-10'],
  ])('Build %s %j -> %s (archived: %s)', (status, extra, state, month) => {
    const { jobs, lines } = parseBuildJobs({ jobs: [{ ...base, status, ...extra }] }, actors, FILE);
    expect(lines).toEqual([]);
    expect(jobs[0]!.job.state).toBe(state);
    expect(jobs[0]!.archiveMonth).toBe(month);
    expect(jobs[0]!.job.id).toBe('job-1761781030');
    expect(jobs[0]!.job.imported).toMatchObject({ system: 'build', key: `${FILE}#job_1761781030`, id: 'job_1761781030' });
  });

  it('a running job holds an assignment on the mapped server', () => {
    const { jobs } = parseBuildJobs([{ ...base, status: 'running', assigned_to: 'Build_2', started_at: 1761781100 }], actors, FILE);
    expect(jobs[0]!.job.assignment).toMatchObject({ server: 'build-2', attempt: 1, startedAt: '2025-10-29T23:38:20.000Z' });
    expect(jobs[0]!.job.attempts).toBe(1);
  });

  it('a failed job keeps its error and its server in the history', () => {
    const { jobs } = parseBuildJobs([{ ...base, status: 'failed', assigned_to: 'build1', error: 'mvn exited 1', exit_code: '1' }], actors, FILE);
    expect(jobs[0]!.job).toMatchObject({
      reason: 'failed in Build: mvn exited 1',
      result: { exitCode: 1, outputTail: 'mvn exited 1' },
      history: [{ server: 'build1', outcome: 'failed' }],
    });
  });

  it.each([
    [1, 'high'],
    ['3', 'normal'],
    [0, 'critical'],
    [9, 'low'],
    ['urgent', 'critical'],
    ['whatever', 'normal'],
  ])('priority %j -> %s', (priority, expected) => {
    expect(parseBuildJobs([{ ...base, status: 'queued', priority }], actors, FILE).jobs[0]!.job.priority).toBe(expected);
  });

  it('reads the three shapes of jobs.json, keeps branch and commit as parameters, takes the time from the id', () => {
    const entry = { id: 'job_1761781030', status: 'queued', branch: 'main', commit: 'abc', retries: 2 };
    for (const shape of [{ jobs: [entry] }, [entry], { job_1761781030: entry }]) {
      const { jobs } = parseBuildJobs(shape, actors, FILE);
      expect(jobs[0]!.job).toMatchObject({ createdAt: '2025-10-29T23:37:10.000Z', params: { branch: 'main', commit: 'abc', retries: '2' }, kind: 'build' });
    }
  });

  it('skips what it cannot map, with the reason', () => {
    const { jobs, lines } = parseBuildJobs(
      {
        jobs: [
          { ...base, status: 'queued' },
          { ...base, status: 'running' },
          { id: 'j2', status: 'paused', created_at: 1761781030 },
          { id: 'j3', status: 'queued' },
          { status: 'queued' },
          7,
        ],
      },
      actors,
      FILE,
    );
    expect(jobs).toHaveLength(1);
    expect(lines.map((l) => `${l.source}: ${l.reason}`)).toEqual([
      `${FILE}#job_1761781030: duplicate id: the first job with this id was imported`,
      `${FILE}#j2: state "paused" is not one of Build's (queued, running, completed, failed)`,
      `${FILE}#j3: no creation time (created_at, or a time in the id)`,
      `${FILE}#[4]: no id`,
      `${FILE}#[5]: not a JSON object`,
    ]);
    expect(parseBuildJobs('nope', actors, FILE).lines[0]!.reason).toMatch(/neither a list/);
  });
});
