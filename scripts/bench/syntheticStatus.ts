import { stringifyRecord } from '../../src/util/stringifyRecord.js';

/** One point of a server's rolling history: [time (s), cpu %, memory %, disk %]. */
export type HistoryPoint = number[];

/**
 * A realistic status record for the benchmarks that build repositories with fast-import
 * (simulatedDay.ts, simulatedWeek.ts): the size and shape a real agent writes, its numbers
 * from the newest history point.
 */
export function syntheticStatus(o: {
  server: string;
  /** Seconds since the epoch. */
  t: number;
  seq: number;
  history: HistoryPoint[];
  uptimeSeconds: number;
  labels: string[];
  jobs: Record<string, unknown>;
  heartbeat: { periodSeconds: number; slotSeconds: number };
}): string {
  const [, cpu = 0, mem = 0, disk = 0] = o.history.at(-1) ?? [];
  return stringifyRecord({
    schemaVersion: 1,
    server: o.server,
    updatedAt: new Date(o.t * 1000).toISOString(),
    seq: o.seq,
    agent: { version: '0.1.0', node: 'v20.20.2', mode: 'daemon' },
    host: { hostname: `${o.server}.example.com`, os: 'Debian GNU/Linux', platform: 'linux', release: '12', arch: 'x64' },
    cpu: {
      model: 'AMD EPYC 7763 64-Core Processor',
      cores: 16,
      usagePercent: cpu,
      load: [cpu / 10, cpu / 12, cpu / 14].map((x) => Math.round(x * 100) / 100),
    },
    memory: { totalBytes: 68719476736, usedBytes: Math.round((68719476736 * mem) / 100), swapTotalBytes: 0, swapUsedBytes: 0 },
    disks: [{ mount: '/', totalBytes: 536870912000, usedBytes: Math.round((536870912000 * disk) / 100) }],
    uptimeSeconds: o.uptimeSeconds,
    labels: o.labels,
    capabilities: [],
    draining: false,
    health: { state: 'healthy' },
    jobs: o.jobs,
    heartbeat: o.heartbeat,
    history: o.history,
    availability: { pct24h: 100, pct7d: 99.9 },
  });
}
