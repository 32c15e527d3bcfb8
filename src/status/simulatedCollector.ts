import type { Collector, HostSample } from './Collector.js';

const GiB = 1024 ** 3;

/**
 * Believable metrics for a server that does not exist: slow waves per server plus
 * noise, a disk that fills slowly. Used by `npm start` and by the benchmarks, where a
 * hundred agents share one machine.
 */
export function simulatedCollector(serverId: string, options: { busy?: number } = {}): Collector {
  let seed = 0;
  for (const ch of serverId) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
  const phase = (seed % 1000) / 1000;
  const busy = options.busy ?? 0.2 + (seed % 50) / 100;
  const memTotal = [8, 16, 32, 64][seed % 4]! * GiB;
  const diskTotal = [100, 250, 500][seed % 3]! * GiB;
  const bootedAt = Date.now() - (seed % 2_000_000) * 1000;
  return {
    async sample(): Promise<HostSample> {
      const at = Date.now();
      const wave = (periodMin: number) => Math.sin((at / 60_000 / periodMin + phase) * 2 * Math.PI);
      const noise = () => Math.random() - 0.5;
      const cpu = clamp(busy * 100 + wave(7) * 25 + noise() * 10, 1, 100);
      const mem = clamp(0.35 + busy * 0.3 + wave(23) * 0.1 + noise() * 0.02, 0.05, 0.99);
      const disk = clamp(0.3 + ((at / 86_400_000 + phase) % 1) * 0.4, 0.05, 0.99);
      return {
        at,
        hostname: `${serverId}.sim.local`,
        os: 'Debian GNU/Linux',
        platform: 'linux',
        release: '12',
        arch: 'x64',
        cpuModel: 'Simulated CPU',
        cores: [2, 4, 8, 16][seed % 4]!,
        cpuPercent: Math.round(cpu * 10) / 10,
        load: [cpu / 25, cpu / 30, cpu / 35].map((n) => Math.round(n * 100) / 100) as [number, number, number],
        memTotal,
        memUsed: Math.round(memTotal * mem),
        swapTotal: 2 * GiB,
        swapUsed: Math.round(2 * GiB * Math.max(0, mem - 0.8)),
        disks: [{ mount: '/', total: diskTotal, used: Math.round(diskTotal * disk) }],
        uptimeSeconds: Math.floor((at - bootedAt) / 1000),
      };
    },
  };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
