import type { Job } from '../schema/types.js';
import { isTerminal } from './jobLifecycle.js';

export type DependencyVerdict =
  | { kind: 'ready' }
  | { kind: 'waiting'; on: string }
  /** A dependency will never succeed: the job is cancelled with this reason. */
  | { kind: 'cancel'; reason: string }
  /** The job names something that is not a job: it is refused. */
  | { kind: 'refuse'; reason: string };

/** Whether a job's dependencies let it run: all succeeded, one still pending, or one failed for good. */
export function dependencyVerdict(job: Job, lookup: (id: string) => Job | undefined): DependencyVerdict {
  let waitingOn: string | undefined;
  for (const id of job.dependsOn ?? []) {
    if (id === job.id) return { kind: 'refuse', reason: 'depends on itself' };
    const dep = lookup(id);
    if (!dep) return { kind: 'refuse', reason: `depends on ${id}, which is not a job (or not a valid one)` };
    if (dep.state === 'dead' || dep.state === 'cancelled') return { kind: 'cancel', reason: `dependency ${id} ended ${dep.state}` };
    if (dep.state !== 'succeeded') waitingOn ??= id;
  }
  return waitingOn === undefined ? { kind: 'ready' } : { kind: 'waiting', on: waitingOn };
}

/**
 * Cycles among unfinished jobs (a cycle can only be made by hand: submit checks that
 * dependencies exist, so a new job cannot be depended upon). Returns each cycle as the
 * ids along it. Iterative, so a long chain cannot overflow the stack.
 */
export function findDependencyCycles(jobs: Iterable<Job>, lookup: (id: string) => Job | undefined): string[][] {
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: done
  const cycles: string[][] = [];
  for (const start of jobs) {
    if (state.has(start.id) || isTerminal(start) || !start.dependsOn?.length) continue;
    const path: string[] = [];
    const stack: { id: string; next: number }[] = [{ id: start.id, next: 0 }];
    state.set(start.id, 1);
    path.push(start.id);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = lookup(top.id)?.dependsOn ?? [];
      if (top.next >= deps.length) {
        state.set(top.id, 2);
        stack.pop();
        path.pop();
        continue;
      }
      const id = deps[top.next++]!;
      const dep = lookup(id);
      if (!dep || isTerminal(dep)) continue;
      const seen = state.get(id);
      if (seen === 1) cycles.push([...path.slice(path.indexOf(id)), id]);
      if (seen !== undefined) continue;
      state.set(id, 1);
      path.push(id);
      stack.push({ id, next: 0 });
    }
  }
  return cycles;
}
