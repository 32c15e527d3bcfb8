import { describe, expect, it } from 'vitest';
import type { Job, JobState } from '../schema/types.js';
import { dependencyVerdict, findDependencyCycles } from './dependencies.js';

function job(id: string, dependsOn: string[] = [], state: JobState = 'queued'): Job {
  return {
    schemaVersion: 1,
    id,
    kind: 'build',
    params: {},
    priority: 'normal',
    state,
    createdAt: '2026-11-22T10:00:00.000Z',
    createdBy: 'op:alice',
    attempts: 0,
    ...(dependsOn.length ? { dependsOn } : {}),
  };
}

function world(...jobs: Job[]) {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  return { jobs, lookup: (id: string) => byId.get(id) };
}

/** Cycles as sets of members, so the assertion does not depend on where the walk started. */
const members = (cycles: string[][]) => cycles.map((c) => [...new Set(c)].sort());

describe('dependencyVerdict', () => {
  it('ready without dependencies or when all succeeded', () => {
    const w = world(job('a', [], 'succeeded'), job('b', [], 'succeeded'));
    expect(dependencyVerdict(job('x'), w.lookup)).toEqual({ kind: 'ready' });
    expect(dependencyVerdict(job('x', ['a', 'b']), w.lookup)).toEqual({ kind: 'ready' });
  });

  it('waiting on the first unfinished dependency', () => {
    const w = world(job('a', [], 'succeeded'), job('b', [], 'running'), job('c', [], 'failed'));
    expect(dependencyVerdict(job('x', ['a', 'b', 'c']), w.lookup)).toEqual({ kind: 'waiting', on: 'b' });
    expect(dependencyVerdict(job('x', ['c']), w.lookup)).toEqual({ kind: 'waiting', on: 'c' });
  });

  it('cancel when a dependency is dead or cancelled, even after a pending one', () => {
    const w = world(job('a', [], 'queued'), job('d', [], 'dead'), job('c', [], 'cancelled'));
    expect(dependencyVerdict(job('x', ['a', 'd']), w.lookup)).toEqual({ kind: 'cancel', reason: 'dependency d ended dead' });
    expect(dependencyVerdict(job('x', ['c']), w.lookup)).toEqual({ kind: 'cancel', reason: 'dependency c ended cancelled' });
  });

  it('refuse an unknown dependency or the job itself', () => {
    const w = world(job('a', [], 'succeeded'));
    const unknown = dependencyVerdict(job('x', ['a', 'ghost']), w.lookup);
    expect(unknown.kind).toBe('refuse');
    expect(unknown).toMatchObject({ reason: expect.stringContaining('ghost') });
    expect(dependencyVerdict(job('x', ['x']), w.lookup)).toEqual({ kind: 'refuse', reason: 'depends on itself' });
  });
});

describe('findDependencyCycles', () => {
  it('finds a 2-cycle', () => {
    const w = world(job('a', ['b']), job('b', ['a']), job('c', ['a']));
    const cycles = findDependencyCycles(w.jobs, w.lookup);
    expect(members(cycles)).toEqual([['a', 'b']]);
    // A cycle is reported as a closed path: it ends where it starts.
    expect(cycles[0]![0]).toBe(cycles[0]!.at(-1));
    expect(cycles[0]).toHaveLength(3);
  });

  it('finds a 3-cycle reached through a job outside it', () => {
    const w = world(job('entry', ['a']), job('a', ['b']), job('b', ['c']), job('c', ['a']));
    const cycles = findDependencyCycles(w.jobs, w.lookup);
    expect(cycles).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('a diamond is not a cycle', () => {
    const w = world(job('top', ['left', 'right']), job('left', ['bottom']), job('right', ['bottom']), job('bottom'));
    expect(findDependencyCycles(w.jobs, w.lookup)).toEqual([]);
  });

  it('a terminal job breaks a cycle', () => {
    const w = world(job('a', ['b']), job('b', ['c']), job('c', ['a'], 'succeeded'));
    expect(findDependencyCycles(w.jobs, w.lookup)).toEqual([]);
    const dead = world(job('a', ['b']), job('b', ['a'], 'dead'));
    expect(findDependencyCycles(dead.jobs, dead.lookup)).toEqual([]);
  });

  it('unknown dependencies are not cycles', () => {
    const w = world(job('a', ['ghost']));
    expect(findDependencyCycles(w.jobs, w.lookup)).toEqual([]);
  });

  it('a 50,000-long chain does not overflow the stack, and closing it is found', () => {
    const n = 50_000;
    const chain = Array.from({ length: n }, (_, i) => job(`j${i}`, i + 1 < n ? [`j${i + 1}`] : []));
    const open = world(...chain);
    expect(findDependencyCycles(open.jobs, open.lookup)).toEqual([]);
    chain[n - 1] = job(`j${n - 1}`, ['j0']);
    const closed = world(...chain);
    const cycles = findDependencyCycles(closed.jobs, closed.lookup);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n + 1);
  });
});
