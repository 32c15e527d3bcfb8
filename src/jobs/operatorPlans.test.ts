import { describe, expect, it } from 'vitest';
import type { FleetSettings, Job } from '../schema/types.js';
import { recordPath } from '../store/recordPaths.js';
import { runPlan } from '../store/runPlan.js';
import { stringifyRecord } from '../util/stringifyRecord.js';
import { assignJob, cancelJob, refuseJob, startJob } from './jobLifecycle.js';
import { cancelJobPlan, drainPlan, failoverPlan, retryJobPlan, submitJobPlan } from './operatorPlans.js';

const T0 = new Date('2026-11-22T10:00:00.000Z');
const T1 = new Date('2026-11-22T10:05:00.000Z');
const NOW = new Date('2026-11-22T11:00:00.000Z');
/** A file that no reader can parse. */
const BROKEN = '{"schemaVersion": 1, "id": ';

function queued(id = 'build-1', over: Partial<Job> = {}): Job {
  return {
    schemaVersion: 1,
    id,
    kind: 'build',
    params: { ref: 'main' },
    priority: 'normal',
    state: 'queued',
    createdAt: T0.toISOString(),
    createdBy: 'op:alice',
    attempts: 0,
    ...over,
  };
}
const assigned = (id: string, server: string, over: Partial<Job> = {}) =>
  assignJob(queued(id, over), { server, claimId: 'abcdef0123', epoch: 1, actor: 'coord-1', now: T1 });
const running = (id: string, server: string, over: Partial<Job> = {}) => startJob(assigned(id, server, over), T1);
const finished = (state: 'succeeded' | 'dead' | 'failed' | 'cancelled', over: Partial<Job> = {}) =>
  queued('build-1', { state, attempts: 1, updatedAt: T1.toISOString(), ...over });

/** The files of some records, as gitfleet writes them. */
function files(jobs: Job[], extra: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries([...jobs.map((j) => [recordPath('job', j.id), stringifyRecord(j)]), ...Object.entries(extra)]);
}
const status = (server: string, kinds: string[]) => ({
  [recordPath('status', server)]: stringifyRecord({
    schemaVersion: 1,
    server,
    updatedAt: T1.toISOString(),
    seq: 1,
    health: { state: 'healthy' },
    jobs: { kinds },
  }),
});
const fleet = (settings: Omit<FleetSettings, 'schemaVersion'>) => ({ 'fleet.json': stringifyRecord({ schemaVersion: 1, ...settings }) });

describe('submitJobPlan', () => {
  const job = queued('build-9', { dependsOn: ['build-1'] });
  it.each([
    ['a server runs the kind and the dependency exists: written', { ...files([queued()]), ...status('web-01', ['build', 'test']) }, undefined],
    ['no server runs the kind: unknown-kind, with the kinds that are run', { ...files([queued()]), ...status('web-01', ['test', 'deploy']) }, 'unknown-kind'],
    ['an invalid status file tells no kind', { ...files([queued()]), [recordPath('status', 'web-01')]: BROKEN }, 'unknown-kind'],
    ['the dependency does not exist', status('web-01', ['build']), 'bad-dependency'],
    ['the dependency is an invalid file', { [recordPath('job', 'build-1')]: BROKEN, ...status('web-01', ['build']) }, 'bad-dependency'],
    ['a job of that id exists', { ...files([queued(), queued('build-9')]), ...status('web-01', ['build']) }, 'conflict'],
    [
      'an invalid file holds that id: never overwritten',
      { ...files([queued()]), [recordPath('job', 'build-9')]: BROKEN, ...status('web-01', ['build']) },
      'conflict',
    ],
  ] as const)('%s', async (_name, repo, code) => {
    const out = await runPlan(submitJobPlan(job), repo, NOW);
    expect(out.aborted?.code).toBe(code);
    expect(out.writes).toEqual(code ? {} : { [recordPath('job', 'build-9')]: job });
    if (code === 'unknown-kind' && repo[recordPath('status', 'web-01')] !== BROKEN) expect(out.aborted?.data).toEqual({ known: ['deploy', 'test'] });
  });
});

describe('submitJobPlan checks the parameters against the servers that run the kind', () => {
  const described = (server: string, pattern: string) => ({
    [recordPath('status', server)]: stringifyRecord({
      schemaVersion: 1,
      server,
      updatedAt: T1.toISOString(),
      seq: 1,
      health: { state: 'healthy' },
      jobs: { kinds: ['build'], kindParams: { build: { ref: { pattern, required: true } } } },
    }),
  });
  it.each([
    ['the one server accepts: written, nobody refuses', described('web-01', '[a-z]+'), { ref: 'main' }, undefined, []],
    [
      'the one server refuses: bad-params with the parameter, its pattern and an example',
      described('web-01', '[0-9]+'),
      { ref: 'main' },
      'bad-params',
      ['web-01'],
    ],
    ['a required parameter missing', described('web-01', '[a-z]+'), {}, 'bad-params', ['web-01']],
    [
      'servers disagree: written; the value names the server that would refuse',
      { ...described('web-01', '[0-9]+'), ...described('web-02', '[a-z]+') },
      { ref: 'main' },
      undefined,
      ['web-01'],
    ],
    ['an older agent describes nothing: written', { ...described('web-01', '[0-9]+'), ...status('web-02', ['build']) }, { ref: 'main' }, undefined, ['web-01']],
  ] as const)('%s', async (_name, repo, params, code, refusing) => {
    const job = queued('build-9', { params });
    const out = await runPlan(submitJobPlan(job), repo, NOW);
    expect(out.aborted?.code).toBe(code);
    if (code) {
      expect(out.writes).toEqual({});
      expect(out.aborted?.data).toMatchObject({
        param: 'ref',
        pattern: expect.any(String),
        example: expect.stringMatching(/^gitfleet job submit build -p ref=/),
      });
      expect(((out.aborted?.data?.refusedBy ?? []) as { server: string }[]).map((r) => r.server)).toEqual(refusing);
    } else {
      expect(out.writes).toEqual({ [recordPath('job', 'build-9')]: job });
      expect(out.value?.refusedBy.map((r) => r.server)).toEqual(refusing);
    }
  });

  it('says the pattern in the reason', async () => {
    const out = await runPlan(submitJobPlan(queued('build-9', { params: { ref: 'main' } })), described('web-01', '[0-9]+'), NOW);
    expect(out.aborted?.reason).toBe('parameter ref does not match its pattern [0-9]+');
    expect(out.aborted?.data?.example).toBe('gitfleet job submit build -p ref=1');
  });
});

describe('cancelJobPlan: its value is the job as the cancel left it', () => {
  it.each([
    ['queued: cancelled at once', queued(), 'cancelled', true],
    ['assigned: cancelled, the attempt ended in its history', assigned('build-1', 'web-01'), 'cancelled', true],
    ['running: only the request, the server stops it', running('build-1', 'web-01'), 'running', true],
    ['running and already asked: nothing written, the job as it is', cancelJob(running('build-1', 'web-01'), 'op:carol', undefined, T1), 'running', false],
  ] as const)('%s', async (_name, job, state, writes) => {
    const out = await runPlan(cancelJobPlan('build-1', 'op:bob', 'wrong branch'), files([job]), NOW);
    expect(out.aborted).toBeUndefined();
    expect(out.value).toMatchObject({ id: 'build-1', state, cancel: { requestedBy: writes ? 'op:bob' : 'op:carol' } });
    expect(out.writes).toEqual(writes ? { [recordPath('job', 'build-1')]: out.value } : {});
  });

  it.each([
    ['no such job', {}, 'not-found'],
    ['an invalid job file: refused, never rewritten', { [recordPath('job', 'build-1')]: BROKEN }, 'invalid-record'],
    ['a finished job', files([finished('succeeded')]), 'conflict'],
  ] as const)('refused: %s', async (_name, repo, code) => {
    const out = await runPlan(cancelJobPlan('build-1', 'op:bob', undefined), repo, NOW);
    expect(out).toMatchObject({ aborted: { code }, writes: {}, value: undefined });
    if (code === 'invalid-record') expect(out.aborted?.data).toEqual({ path: 'jobs/build-1.json' });
    if (code === 'conflict') expect(out.aborted?.data).toEqual({ state: 'succeeded' });
  });
});

describe('retryJobPlan: its value is the job queued again', () => {
  it.each(['dead', 'failed', 'cancelled'] as const)('%s: queued with a fresh budget', async (state) => {
    const out = await runPlan(retryJobPlan('build-1'), files([finished(state, { reason: 'whatever', retryAt: T1.toISOString() })]), NOW);
    expect(out.value).toMatchObject({ state: 'queued', attemptsAtRetry: 1, updatedAt: NOW.toISOString() });
    expect(out.value).not.toHaveProperty('reason');
    expect(out.writes).toEqual({ [recordPath('job', 'build-1')]: out.value });
  });

  it.each([
    ['no such job', {}, 'not-found'],
    ['an invalid job file', { [recordPath('job', 'build-1')]: BROKEN }, 'invalid-record'],
    ['a running job', files([running('build-1', 'web-01')]), 'conflict'],
    ['a succeeded job', files([finished('succeeded')]), 'conflict'],
    ['a job refused by its server (retrying cannot change that)', files([refuseJob(assigned('build-1', 'web-01'), 'unknown kind', T1, 'web-01')]), 'conflict'],
  ] as const)('refused: %s', async (_name, repo, code) => {
    const out = await runPlan(retryJobPlan('build-1'), repo, NOW);
    expect(out).toMatchObject({ aborted: { code }, writes: {}, value: undefined });
  });
});

describe('failoverPlan: takes back what the server holds; its value is the ids taken back', () => {
  const held = [assigned('build-1', 'web-01'), running('build-2', 'web-01'), running('build-3', 'web-02'), queued('build-4')];

  it('requeues the jobs of web-01 only, and drains it', async () => {
    const out = await runPlan(failoverPlan('web-01', 'op:alice', { drain: true, remoteUrl: '' }), files(held, fleet({ name: 'f', drain: ['web-09'] })), NOW);
    expect(out.value).toEqual(['build-1', 'build-2']);
    expect(Object.keys(out.writes).sort()).toEqual(['fleet.json', 'jobs/build-1.json', 'jobs/build-2.json']);
    for (const id of ['build-1', 'build-2']) {
      expect(out.writes[recordPath('job', id)]).toMatchObject({ state: 'queued', reason: 'requeued: manual failover of web-01 by op:alice', lostLeases: 1 });
    }
    expect(out.writes['fleet.json']).toEqual({ schemaVersion: 1, name: 'f', drain: ['web-01', 'web-09'] });
  });

  it("--no-drain leaves fleet.json alone; a job out of attempts (fleet.json's budget) dies", async () => {
    const out = await runPlan(
      failoverPlan('web-01', 'op:alice', { drain: false, remoteUrl: '' }),
      files([running('build-1', 'web-01')], fleet({ jobs: { defaultMaxAttempts: 1 } })),
      NOW,
    );
    expect(out.value).toEqual(['build-1']);
    expect(Object.keys(out.writes)).toEqual(['jobs/build-1.json']);
    expect(out.writes['jobs/build-1.json']).toMatchObject({ state: 'dead' });
  });

  it('nothing held and already drained: nothing written, no ids', async () => {
    const out = await runPlan(failoverPlan('web-01', 'op:alice', { drain: true, remoteUrl: '' }), files([queued()], fleet({ drain: ['web-01'] })), NOW);
    expect(out).toEqual({ writes: {}, deletes: [], value: [] });
  });

  it('an invalid fleet.json: refused (its budgets and drain list are unknown), nothing rewritten', async () => {
    const out = await runPlan(failoverPlan('web-01', 'op:alice', { drain: false, remoteUrl: '' }), files(held, { 'fleet.json': BROKEN }), NOW);
    expect(out).toMatchObject({ aborted: { code: 'invalid-record', data: { path: 'fleet.json' } }, writes: {}, value: undefined });
  });

  it('an invalid job file of the server is left alone', async () => {
    const out = await runPlan(
      failoverPlan('web-01', 'op:alice', { drain: false, remoteUrl: '' }),
      files([running('build-2', 'web-01')], { [recordPath('job', 'build-1')]: BROKEN }),
      NOW,
    );
    expect(out.value).toEqual(['build-2']);
    expect(Object.keys(out.writes)).toEqual(['jobs/build-2.json']);
  });
});

describe('drainPlan', () => {
  it.each([
    ['drain without fleet.json: written with the drain list', {}, 'web-01', true, { schemaVersion: 1, drain: ['web-01'] }],
    [
      'drain keeps the other settings, sorted',
      fleet({ name: 'f', drain: ['web-09'] }),
      'web-01',
      true,
      { schemaVersion: 1, name: 'f', drain: ['web-01', 'web-09'] },
    ],
    ['undrain the last one: the list goes', fleet({ name: 'f', drain: ['web-01'] }), 'web-01', false, { schemaVersion: 1, name: 'f' }],
    ['drain twice: nothing to write', fleet({ drain: ['web-01'] }), 'web-01', true, undefined],
    ['undrain one that is not drained: nothing to write', fleet({ name: 'f' }), 'web-01', false, undefined],
  ] as const)('%s', async (_name, repo, server, drain, written) => {
    const out = await runPlan(drainPlan(server, drain), repo, NOW);
    expect(out.writes).toEqual(written ? { 'fleet.json': written } : {});
  });

  it('an invalid fleet.json is never rewritten', async () => {
    const out = await runPlan(drainPlan('web-01', true), { 'fleet.json': '{"schemaVersion": 1, "drain": "web-01"}' }, NOW);
    expect(out).toMatchObject({ aborted: { code: 'invalid-record', data: { path: 'fleet.json' } }, writes: {} });
  });
});
