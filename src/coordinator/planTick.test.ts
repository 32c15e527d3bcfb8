import { describe, expect, it } from 'vitest';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import type { FleetSettings, Job, ServerStatus } from '../schema/types.js';
import { validateRecord } from '../schema/validateRecord.js';
import { FleetIndex } from './FleetIndex.js';
import { planTick, type TickOptions, type TickPlan } from './planTick.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const MIN = 60_000;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const backend = {
  listTree: () => Promise.reject(new Error('not used')),
  readBlobs: () => Promise.reject(new Error('not used')),
  changedPaths: () => Promise.reject(new Error('not used')),
};

interface ServerOpts {
  slots?: number;
  kinds?: string[];
  /** How long ago this coordinator saw the status change: an hour is dead. */
  silentMs?: number;
  updatedAt?: string;
  running?: { id: string; attempt: number; claimId: string }[];
}

function fleet(servers: Record<string, ServerOpts>, jobs: Job[]): FleetIndex {
  const index = new FleetIndex(backend);
  for (const [server, o] of Object.entries(servers)) {
    const status: ServerStatus = {
      schemaVersion: 1,
      server,
      updatedAt: o.updatedAt ?? ago(o.silentMs ?? 0),
      seq: 1,
      health: { state: 'healthy' },
      jobs: { slots: o.slots ?? 4, kinds: o.kinds ?? ['build'], running: o.running ?? [] },
    };
    index.servers.set(server, { oid: `status-${server}`, status: deepFreeze(status), observedAt: NOW - (o.silentMs ?? 0) });
  }
  for (const job of jobs) {
    index.jobs.set(job.id, { id: job.id, oid: `oid-${job.id}`, job: deepFreeze(job) });
    if (!['succeeded', 'cancelled', 'dead'].includes(job.state)) index.active.add(job.id);
  }
  return index;
}

function job(id: string, over: Partial<Job> = {}): Job {
  return {
    schemaVersion: 1,
    id,
    kind: 'build',
    params: {},
    priority: 'normal',
    state: 'queued',
    createdAt: ago(30 * MIN),
    createdBy: 'op:alice',
    attempts: 0,
    ...over,
  };
}

/** A job held by a server: assigned `assignedAgo` ms ago, and running since `startedAgo` if given. */
function held(id: string, server: string, assignedAgo: number, startedAgo?: number): Job {
  const assignment = {
    server,
    attempt: 1,
    claimId: `c1a1${id.length.toString(16).padStart(4, '0')}`,
    assignedAt: ago(assignedAgo),
    ...(startedAgo !== undefined ? { startedAt: ago(startedAgo) } : {}),
  };
  return job(id, { state: startedAgo !== undefined ? 'running' : 'assigned', attempts: 1, assignment });
}

function tick(index: FleetIndex, over: Partial<TickOptions> & { fleet?: Partial<FleetSettings> } = {}): TickPlan {
  let n = 0;
  const { fleet: f, ...rest } = over;
  const plan = planTick(index, {
    settings: resolveFleetSettings({ schemaVersion: 1, ...f }),
    now: NOW,
    actor: 'coord-1',
    epoch: 3,
    canFailOver: true,
    claimId: () => (0xabc00000 + n++).toString(16),
    roundRobin: { last: null },
    ...rest,
  });
  for (const d of plan.decisions) {
    expect(validateRecord('job', d.job), `${d.action} ${d.id}`).toEqual([]);
    expect(d.job.id).toBe(d.id);
  }
  return plan;
}

const decisionFor = (plan: TickPlan, id: string) => plan.decisions.filter((d) => d.id === id);
const assignedTo = (plan: TickPlan) => plan.decisions.filter((d) => d.action === 'assign').map((d) => [d.id, d.job.assignment!.server]);

describe('planTick: assignment', () => {
  it('assigns by priority, then oldest first within a level', () => {
    const index = fleet({ 'web-01': { slots: 3 } }, [
      job('low-old', { priority: 'low', createdAt: ago(50 * MIN) }),
      job('normal-new', { createdAt: ago(1 * MIN) }),
      job('normal-old', { createdAt: ago(20 * MIN) }),
      job('critical', { priority: 'critical', createdAt: ago(2 * MIN) }),
      job('high', { priority: 'high', createdAt: ago(3 * MIN) }),
    ]);
    const plan = tick(index);
    expect(assignedTo(plan).map(([id]) => id)).toEqual(['critical', 'high', 'normal-old']);
    expect(plan.waiting).toBe(2);
    const first = plan.decisions[0]!;
    expect(first).toMatchObject({ baseOid: 'oid-critical', action: 'assign' });
    expect(first.job).toMatchObject({ state: 'assigned', attempts: 1, assignment: { server: 'web-01', attempt: 1, epoch: 3, assignedBy: 'coord-1' } });
  });

  it("counts this tick's own assignments: 10 jobs over two 5-slot servers go 5/5", () => {
    const jobs = Array.from({ length: 10 }, (_, i) => job(`j${i}`, { createdAt: ago((20 - i) * MIN) }));
    const plan = tick(fleet({ a: { slots: 5 }, b: { slots: 5 } }, jobs), { fleet: { placement: { strategy: 'spread', maxJobsPerServer: 8 } } });
    const servers = assignedTo(plan).map(([, s]) => s);
    expect(servers.filter((s) => s === 'a')).toHaveLength(5);
    expect(servers.filter((s) => s === 'b')).toHaveLength(5);
    expect(new Set(plan.decisions.map((d) => d.job.assignment!.claimId)).size).toBe(10);
  });

  it('maxJobsPerServer caps what a server with more slots gets', () => {
    const plan = tick(
      fleet(
        { a: { slots: 10 } },
        ['j1', 'j2', 'j3', 'j4'].map((id) => job(id)),
      ),
      { fleet: { placement: { maxJobsPerServer: 2 } } },
    );
    expect(assignedTo(plan)).toHaveLength(2);
    expect(plan.waiting).toBe(2);
  });

  it('jobs a live server already holds count against its slots', () => {
    const plan = tick(fleet({ a: { slots: 1 } }, [held('h', 'a', 1 * MIN), job('q')]));
    expect(plan.decisions).toEqual([]);
    expect(plan.waiting).toBe(1);
  });

  it('notBefore and retryAt in the future wait; a retry avoids the server that failed it', () => {
    const index = fleet({ a: {}, b: {} }, [
      job('later', { notBefore: ago(-5 * MIN) }),
      job('backoff', { state: 'failed', attempts: 1, failures: 1, retryAt: ago(-1 * MIN) }),
      job('due', {
        state: 'failed',
        attempts: 1,
        failures: 1,
        retryAt: ago(1 * MIN),
        notBefore: ago(60 * MIN),
        history: [{ attempt: 1, server: 'a', outcome: 'failed' }],
      }),
    ]);
    const plan = tick(index);
    expect(assignedTo(plan)).toEqual([['due', 'b']]);
    expect(plan.decisions[0]!.job).not.toHaveProperty('retryAt');
  });
});

describe('planTick: refusals and cancellations', () => {
  it('a job of a kind no server runs is refused', () => {
    const [d] = tick(fleet({ a: { kinds: ['build', 'test'] } }, [job('x', { kind: 'deploy' })])).decisions;
    expect(d).toMatchObject({ id: 'x', action: 'refuse', job: { state: 'cancelled' } });
    expect(d!.job.reason).toMatch(/^refused: unknown kind deploy/);
  });

  it('an invalid job file is never rewritten (nor run): a plan cannot know what it would destroy', () => {
    const index = fleet({ a: {} }, []);
    index.invalidJobs.set('broken', { id: 'broken', oid: 'oid-broken', reason: 'params.x: must be string\nand more' });
    expect(tick(index).decisions).toEqual([]);
  });

  it('a dependency cycle is refused; a job waiting on it is left alone', () => {
    const plan = tick(fleet({ a: {} }, [job('c1', { dependsOn: ['c2'] }), job('c2', { dependsOn: ['c1'] }), job('after', { dependsOn: ['c1'] })]));
    expect(plan.decisions.map((d) => [d.id, d.action]).sort()).toEqual([
      ['c1', 'refuse'],
      ['c2', 'refuse'],
    ]);
    for (const d of plan.decisions) expect(d.job.reason).toMatch(/^refused: dependency cycle/);
  });

  it('a job whose dependency is dead is cancelled; one on a succeeded dependency runs; one on a queued one waits', () => {
    const plan = tick(
      fleet({ a: { slots: 3 } }, [
        job('gone', { state: 'dead' }),
        job('done', { state: 'succeeded' }),
        job('pending', { notBefore: ago(-60 * MIN) }),
        job('x', { dependsOn: ['gone'] }),
        job('y', { dependsOn: ['done'] }),
        job('z', { dependsOn: ['pending'] }),
      ]),
    );
    expect(decisionFor(plan, 'x')).toMatchObject([
      { action: 'cancel', job: { state: 'cancelled', reason: 'cancelled by coord-1: dependency gone ended dead' } },
    ]);
    expect(assignedTo(plan)).toEqual([['y', 'a']]);
    expect(decisionFor(plan, 'z')).toEqual([]);
  });

  it('a cancel request on a queued job cancels it', () => {
    const plan = tick(fleet({ a: {} }, [job('q', { cancel: { requestedBy: 'op:bob', requestedAt: ago(MIN), reason: 'not needed' } })]));
    expect(plan.decisions).toMatchObject([{ id: 'q', action: 'cancel', job: { state: 'cancelled', reason: 'cancelled by op:bob: not needed' } }]);
  });
});

describe('planTick: held jobs', () => {
  const deadServer = { silentMs: 60 * MIN };

  it('the jobs of a dead server are lost and requeued only once the coordinator may fail over', () => {
    const jobs = [held('r', 'gone', 20 * MIN, 19 * MIN), held('s', 'gone', 1 * MIN)];
    const waiting = tick(fleet({ gone: deadServer, a: {} }, jobs), { canFailOver: false });
    expect(waiting.decisions).toEqual([]);
    const plan = tick(fleet({ gone: deadServer, a: {} }, jobs));
    for (const id of ['r', 's']) {
      const ds = decisionFor(plan, id);
      expect(ds).toHaveLength(1); // requeued, not also reassigned in the same tick
      expect(ds[0]).toMatchObject({ action: 'lose', job: { state: 'queued', lostLeases: 1 } });
      expect(ds[0]!.job.reason).toMatch(/gone is dead/);
      expect(ds[0]!.job.history?.at(-1)).toMatchObject({ outcome: 'lost', server: 'gone' });
    }
  });

  it('an assigned job not started within the dead window is lost', () => {
    const plan = tick(fleet({ a: {} }, [held('slow', 'a', 10 * MIN), held('fresh', 'a', 2 * MIN)]));
    expect(plan.decisions.map((d) => [d.id, d.action])).toEqual([['slow', 'lose']]);
    expect(plan.decisions[0]!.job.reason).toMatch(/not started by a within 360 s/);
  });

  it("a running job the server's newer status no longer lists is lost", () => {
    const job = held('r', 'a', 10 * MIN, 9 * MIN);
    const listed = { updatedAt: ago(10_000), running: [{ id: 'r', attempt: 1, claimId: job.assignment!.claimId }] };
    expect(tick(fleet({ a: listed }, [job])).decisions).toEqual([]);
    // A status written before the job started need not list it yet.
    expect(tick(fleet({ a: { updatedAt: ago(9.5 * MIN) } }, [job])).decisions).toEqual([]);
    const plan = tick(fleet({ a: { updatedAt: ago(10_000) } }, [job]));
    expect(plan.decisions).toMatchObject([{ id: 'r', action: 'lose', job: { state: 'queued' } }]);
    expect(plan.decisions[0]!.job.reason).toMatch(/no longer reports running it/);
  });

  it('a lost job out of attempts is dead', () => {
    const job = { ...held('last', 'gone', 20 * MIN), maxAttempts: 1 };
    const plan = tick(fleet({ gone: deadServer, a: {} }, [job]));
    expect(plan.decisions).toMatchObject([{ id: 'last', action: 'lose', job: { state: 'dead' } }]);
  });
});

describe('planTick: archive', () => {
  /** Finished jobs, as FleetIndex records them: in jobs and in finished (id -> ended ms). */
  function withFinished(index: FleetIndex, jobs: Job[]): FleetIndex {
    for (const j of jobs) {
      index.jobs.set(j.id, { id: j.id, oid: `oid-${j.id}`, job: deepFreeze(j) });
      index.finished.set(j.id, Date.parse(j.updatedAt!));
    }
    return index;
  }
  const ended = (id: string, endedAgo: number, state: Job['state'] = 'succeeded') =>
    job(id, { state, attempts: 1, createdAt: ago(endedAgo + MIN), updatedAt: ago(endedAgo) });

  it('moves finished jobs older than archiveAfterHours, at most 500 per tick; recent ones stay', () => {
    const HOUR = 60 * MIN;
    // The recent ones come first, so they are passed over for their age, not for the batch limit.
    const recent = [ended('recent-1', 10 * MIN), ended('recent-2', 2 * HOUR - MIN, 'cancelled'), ended('recent-3', 90 * MIN, 'dead')];
    const old = Array.from({ length: 520 }, (_, i) => ended(`old-${i}`, 2 * HOUR + MIN + i * MIN, i % 2 ? 'cancelled' : 'succeeded'));
    const index = withFinished(fleet({ a: {} }, [job('queued-1', { notBefore: ago(-60 * MIN) })]), [...recent, ...old]);

    const plan = tick(index, { fleet: { jobs: { archiveAfterHours: 2 } } });

    const archived = plan.decisions.filter((d) => d.action === 'archive');
    expect(plan.decisions).toHaveLength(archived.length);
    expect(archived).toHaveLength(500);
    expect(new Set(archived.map((d) => d.id)).size).toBe(500);
    for (const d of archived) {
      expect(d.id).toMatch(/^old-\d+$/);
      expect(d.baseOid).toBe(`oid-${d.id}`);
      // Moved as it is: the record itself does not change.
      expect(d.job).toBe(index.jobs.get(d.id)!.job);
    }

    // The next tick, once those are gone, takes the rest; still none of the recent ones.
    for (const d of archived) {
      index.jobs.delete(d.id);
      index.finished.delete(d.id);
    }
    const rest = tick(index, { fleet: { jobs: { archiveAfterHours: 2 } } }).decisions;
    expect(rest.map((d) => d.action)).toEqual(Array(20).fill('archive'));
    expect(rest.map((d) => d.id).sort()).toEqual(
      old
        .map((j) => j.id)
        .filter((id) => !archived.some((d) => d.id === id))
        .sort(),
    );
  });

  it('waits 24 hours by default', () => {
    const index = withFinished(fleet({ a: {} }, []), [ended('day-old', 24 * 60 * MIN + MIN), ended('hours-old', 23 * 60 * MIN)]);
    expect(tick(index).decisions.map((d) => [d.id, d.action])).toEqual([['day-old', 'archive']]);
  });
});

describe("planTick: times and counters from the repository are bounded by the coordinator's clock", () => {
  const FAR = '9999-01-01T00:00:00.000Z';
  const ahead = (ms: number) => new Date(NOW + ms).toISOString();
  it.each([
    ['a retryAt within the longest retry delay is waited for', { retryAt: ahead(5 * MIN) }, false],
    ['a retryAt in the year 9999 is not (no agent computes it)', { retryAt: FAR }, true],
    ['a retryAt that is not a time holds nothing off', { retryAt: 'not-a-time' }, true],
    ['a retryAt past is due', { retryAt: ago(MIN) }, true],
  ] as const)('%s', (_, over, assigned) => {
    const index = fleet({ a: {} }, [job('f', { state: 'failed', attempts: 1, failures: 1, ...over } as Partial<Job>)]);
    expect(decisionFor(tick(index), 'f').map((d) => d.action)).toEqual(assigned ? ['assign'] : []);
  });

  it("notBefore is the operator's wish: honoured however far ahead (never run early)", () => {
    const index = fleet({ a: {} }, [job('later', { notBefore: FAR }), job('soon', { notBefore: ago(1) })]);
    expect(assignedTo(tick(index))).toEqual([['soon', 'a']]);
  });

  it.each([
    ['assigned at a far-future time: treated as not started in time', held('x', 'a', 0), { assignedAt: FAR }, 'lose'],
    ['assigned a minute ahead (within the slack): left alone', held('x', 'a', 0), { assignedAt: ahead(MIN) }, null],
    ['started at a far-future time: taken back', held('x', 'a', MIN, MIN), { startedAt: FAR }, 'lose'],
  ] as const)('%s', (_, base, assignment, action) => {
    const j = { ...base, assignment: { ...base.assignment!, ...assignment } };
    const index = fleet({ a: { running: [{ id: 'x', attempt: 1, claimId: base.assignment!.claimId }] } }, [j]);
    expect(decisionFor(tick(index), 'x').map((d) => d.action)).toEqual(action ? [action] : []);
  });

  it('a finished job whose end lies in the far future is archived, not kept for ever', () => {
    const index = fleet({ a: {} }, []);
    const j = job('z', { state: 'succeeded', attempts: 1, updatedAt: FAR });
    index.jobs.set('z', { id: 'z', oid: 'oid-z', job: j });
    index.finished.set('z', Date.parse(FAR));
    expect(tick(index).decisions.map((d) => [d.id, d.action])).toEqual([['z', 'archive']]);
  });

  it("a job whose attempt counter is at its schema bound goes dead instead of making the tick's commit invalid", () => {
    const index = fleet({ a: {} }, [job('worn', { attempts: 1000, attemptsAtRetry: 1000 }), job('fine')]);
    const plan = tick(index);
    expect(plan.decisions.map((d) => [d.id, d.action]).sort()).toEqual([
      ['fine', 'assign'],
      ['worn', 'dead'],
    ]);
  });
});

describe("planTick: a heartbeat period a status announces is bounded by the fleet's", () => {
  const announcing = (periodSeconds: number, silentMs: number) => {
    const index = fleet({ a: { silentMs } }, []);
    const seen = index.servers.get('a')!;
    index.servers.set('a', { ...seen, status: { ...seen.status, heartbeat: { periodSeconds } } });
    return tick(index).liveness.get('a')!.liveness;
  };
  it.each([
    ["the fleet's own period, silent 7 periods: dead", 60, 7 * MIN, 'dead'],
    ["twice the fleet's period, silent 5 minutes: alive (a stale view of the fleet size)", 120, 5 * MIN, 'alive'],
    ['a day, silent 13 minutes: dead (no server buys itself six days)', 86_400, 13 * MIN, 'dead'],
  ] as const)('%s', (_, period, silent, liveness) => {
    expect(announcing(period, silent)).toBe(liveness);
  });
});

describe('planTick: maintenance windows', () => {
  const deadServer = { silentMs: 60 * MIN };
  const window = (start: number, end: number, target = 'gone') => ({
    maintenance: [{ target, start: ago(start), end: ago(end), reason: 'disk swap' }],
  });
  const jobs = () => [held('r', 'gone', 50 * MIN, 49 * MIN), held('s', 'gone', 50 * MIN)];

  it.each([
    ['during a window on the server', window(70 * MIN, -10 * MIN), 0],
    ['during a window on all', window(70 * MIN, -10 * MIN, 'all'), 0],
    ['a window on another server does not hold them', window(70 * MIN, -10 * MIN, 'a'), 2],
    // Ended a minute ago and the server is still silent: failed over now.
    ['after the window, still silent', window(70 * MIN, 1 * MIN), 2],
    ['a window not begun yet', window(-5 * MIN, -70 * MIN), 2],
  ] as const)("a dead server's jobs %s: %i lost", (_name, f, lost) => {
    const plan = tick(fleet({ gone: deadServer, a: {} }, jobs()), { fleet: f });
    expect(plan.decisions.filter((d) => d.action === 'lose')).toHaveLength(lost);
  });

  it('a window holds nothing for a server silent longer than 7 days (fleet.json cannot hold jobs for ever)', () => {
    const longGone = { silentMs: 7 * 24 * 60 * MIN + MIN };
    const plan = tick(fleet({ gone: longGone, a: {} }, jobs()), { fleet: window(70 * MIN, -10 * MIN) });
    expect(plan.decisions.filter((d) => d.action === 'lose')).toHaveLength(2);
    expect(plan.liveness.get('gone')?.maintenanceUntil).toBeUndefined();
  });

  it('a server in maintenance takes no new jobs, and its own report that it dropped a job still counts', () => {
    const job = held('r', 'a', 10 * MIN, 9 * MIN);
    const plan = tick(fleet({ a: { updatedAt: ago(10_000) }, b: {} }, [job, queued('q')]), { fleet: window(5 * MIN, -60 * MIN, 'a') });
    expect(decisionFor(plan, 'r')).toMatchObject([{ action: 'lose' }]);
    expect(assignedTo(plan)).toEqual([['q', 'b']]);
    expect(plan.liveness.get('a')?.maintenanceUntil).toBe(NOW + 60 * MIN);
  });
});

function queued(id: string): Job {
  return job(id);
}

describe('planTick: an idle fleet gives nothing to decide (the tick then pushes nothing but due lease renewals)', () => {
  it.each([
    ['no servers, no jobs', fleet({}, [])],
    ['healthy servers, no jobs', fleet({ a: {}, b: {} }, [])],
    [
      'a job running on a live server that reports it',
      fleet({ a: { running: [{ id: 'r', attempt: 1, claimId: 'c1a10001' }] } }, [held('r', 'a', 5 * MIN, 4 * MIN)]),
    ],
    ['a job waiting for a later time', fleet({ a: {} }, [job('later', { notBefore: ago(-60 * MIN) })])],
    ['a recently finished job, not yet due for the archive', fleet({ a: {} }, [job('done', { state: 'succeeded', attempts: 1, updatedAt: ago(MIN) })])],
  ])('%s', (_name, index) => {
    expect(tick(index).decisions).toEqual([]);
  });
});
