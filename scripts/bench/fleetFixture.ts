import type { Job, Message, ServerStatus } from '../../src/schema/types.js';

/**
 * A synthetic fleet as record files (path -> text), for the dashboard's browser tests and
 * its benchmark: servers in every health, jobs in every state, messages in threads, and,
 * on request, hostile entries. Deterministic for a given size and `now`.
 */
export interface FixtureOptions {
  servers: number;
  messages: number;
  jobs?: number;
  now?: number;
  /** Put this text in every displayed field of a few records (XSS tests). */
  payload?: string;
}

const STATES = ['queued', 'assigned', 'running', 'succeeded', 'failed', 'cancelled', 'dead'] as const;
const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
const LABELS = ['web', 'build', 'db', 'gpu', 'linux', 'arm'];

export function fleetFixture(options: FixtureOptions): Map<string, string> {
  const now = options.now ?? Date.now();
  const files = new Map<string, string>();
  const put = (path: string, value: unknown) => files.set(path, JSON.stringify(value, null, 2));
  put('fleet.json', { schemaVersion: 1, name: 'fixture', heartbeat: { periodSeconds: 60 } });
  const ids: string[] = [];
  for (let i = 0; i < options.servers; i++) {
    const id = `srv-${String(i).padStart(4, '0')}`;
    ids.push(id);
    put(`status/${id}.json`, status(id, i, now, options.payload));
  }
  const jobCount = options.jobs ?? Math.min(500, options.servers * 2);
  for (let i = 0; i < jobCount; i++) {
    const id = `job-${String(i).padStart(5, '0')}`;
    put(`jobs/${id}.json`, job(id, i, ids, now, options.payload));
  }
  for (let i = 0; i < options.messages; i++) {
    const id = `msg-${String(i).padStart(5, '0')}`;
    put(`messages/${id}.json`, message(id, i, ids, now - (options.messages - i) * 10_000, options.payload));
  }
  return files;
}

function status(id: string, i: number, now: number, payload?: string): ServerStatus {
  // Every 10th server is late (suspect/offline); every 7th runs hot (degraded/failing).
  const lateBy = i % 10 === 3 ? 200_000 : i % 10 === 7 ? 3_600_000 : 5_000;
  const hot = i % 7 === 0 ? 75 + (i % 3) * 10 : 20 + (i % 30);
  const t = Math.floor((now - lateBy) / 1000);
  const history = Array.from({ length: 60 }, (_, k) => [
    t - (59 - k) * 60,
    clamp(hot + Math.sin(k / 5 + i) * 15),
    clamp(40 + Math.cos(k / 7 + i) * 10),
    clamp(50 + k / 10),
  ]);
  const evil = payload !== undefined && i < 3;
  return {
    schemaVersion: 1,
    server: id,
    updatedAt: new Date(now - lateBy).toISOString(),
    seq: 1000 + i,
    agent: { version: '0.1.0', node: 'v20.19.0', mode: 'daemon' },
    host: {
      hostname: evil ? payload!.slice(0, 200) : `${id}.example`,
      os: evil ? payload!.slice(0, 200) : 'Debian GNU/Linux',
      platform: 'linux',
      release: '12',
      arch: 'x64',
    },
    cpu: { model: 'Fixture CPU', cores: 8, usagePercent: hot, load: [1.2, 1.0, 0.8] },
    memory: { totalBytes: 16 * 2 ** 30, usedBytes: Math.round(16 * 2 ** 30 * 0.45), swapTotalBytes: 2 ** 31, swapUsedBytes: 0 },
    disks: [{ mount: evil ? payload!.slice(0, 200) : '/', totalBytes: 500 * 2 ** 30, usedBytes: 260 * 2 ** 30 }],
    uptimeSeconds: 86_400 * 3,
    labels: [LABELS[i % LABELS.length]!, 'linux'].filter((l, k, a) => a.indexOf(l) === k),
    health: { state: hot >= 90 ? 'failing' : hot >= 70 ? 'degraded' : 'healthy', reasons: evil ? [payload!.slice(0, 200)] : [] },
    jobs: { slots: 2, running: [], kinds: ['build'] },
    heartbeat: { periodSeconds: 60 },
    history,
    availability: { pct24h: 99.5, pct7d: 99.1 },
  } as ServerStatus;
}

function job(id: string, i: number, servers: string[], now: number, payload?: string): Job {
  const state = STATES[i % STATES.length]!;
  const server = servers[i % Math.max(1, servers.length)] ?? 'srv-0000';
  const created = new Date(now - (i + 1) * 30_000).toISOString();
  const placed = state !== 'queued';
  // Five, so that finished jobs (failed, with an output tail) carry the payload too.
  const evil = payload !== undefined && i < 5;
  return {
    schemaVersion: 1,
    id,
    kind: 'build',
    params: { ref: evil ? payload!.slice(0, 200) : `v1.${i}` },
    priority: PRIORITIES[i % PRIORITIES.length]!,
    state,
    createdAt: created,
    createdBy: 'op:fixture',
    attempts: placed ? 1 : 0,
    ...(placed
      ? { assignment: { server, attempt: 1, claimId: 'a1b2c3d4e5f60718', assignedAt: created, ...(state !== 'assigned' ? { startedAt: created } : {}) } }
      : {}),
    ...(['succeeded', 'failed', 'dead'].includes(state)
      ? {
          result: { exitCode: state === 'succeeded' ? 0 : 1, outputTail: evil ? payload! : `building v1.${i}\ndone`, finishedAt: created, durationMs: 4200 },
          history: [
            {
              attempt: 1,
              server,
              outcome: state === 'succeeded' ? 'succeeded' : 'failed',
              exitCode: state === 'succeeded' ? 0 : 1,
              endedAt: created,
              ...(evil ? { reason: payload!.slice(0, 200) } : {}),
            },
          ],
        }
      : {}),
    ...(evil ? { reason: payload!.slice(0, 200) } : {}),
  } as Job;
}

function message(id: string, i: number, servers: string[], now: number, payload?: string): Message {
  const thread = `msg-${String(i - (i % 3)).padStart(5, '0')}`;
  const evil = payload !== undefined && i < 3;
  return {
    schemaVersion: 1,
    id,
    from: i % 2 ? 'op:alice' : (servers[i % Math.max(1, servers.length)] ?? 'srv-0000'),
    to: i % 5 === 0 ? 'all' : i % 5 === 1 ? 'label:gpu' : (servers[(i * 7) % Math.max(1, servers.length)] ?? 'all'),
    priority: PRIORITIES[i % PRIORITIES.length]!,
    type: 'info',
    subject: evil ? payload!.slice(0, 200) : `${i % 3 === 0 ? 'Deploy' : 'Re: deploy'} batch ${i - (i % 3)}`,
    body: evil ? payload! : `Message ${i} of the fixture.\nSecond line.`,
    createdAt: new Date(now).toISOString(),
    thread,
    ...(i % 3 ? { replyTo: thread } : {}),
    ...(evil ? { tags: ['xss'] } : {}),
  } as Message;
}

function clamp(v: number): number {
  return Math.round(Math.min(100, Math.max(0, v)) * 10) / 10;
}

/** The fixture as the snapshot `gitfleet snapshot` writes. */
export function fixtureSnapshot(files: Map<string, string>, commit = 'f'.repeat(40), generatedAt = new Date().toISOString()): string {
  return JSON.stringify({ format: 'gitfleet-snapshot', version: 1, commit, generatedAt, files: Object.fromEntries(files), skipped: [] });
}
