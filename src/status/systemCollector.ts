import os from 'node:os';
import si from 'systeminformation';
import type { Collector, HostSample } from './Collector.js';

// Pseudo and read-only image filesystems say nothing about free space for work.
const SKIP_FS = /^(tmpfs|devtmpfs|squashfs|proc|sysfs|cgroup2?|efivarfs|nsfs|ramfs|autofs|fuse\.snapfuse|fuse\.lxcfs|iso9660|udf|devfs|map .*)$/i;
const MAX_DISKS = 8;
const TEMPERATURE_RETRY_MS = 10 * 60_000;

/**
 * Reads the real host through systeminformation. Facts that do not change (OS, CPU
 * model) are read once; a missing temperature sensor is remembered so that it is not
 * probed every cycle.
 */
export function systemCollector(): Collector {
  let fixed: Promise<Pick<HostSample, 'os' | 'platform' | 'release' | 'arch' | 'cpuModel' | 'cores'>> | undefined;
  let noSensorUntil = 0;
  return {
    async sample(): Promise<HostSample> {
      fixed ??= Promise.all([si.osInfo(), si.cpu()]).then(([o, c]) => ({
        os: o.distro || o.platform,
        platform: o.platform || process.platform,
        release: o.release || os.release(),
        arch: o.arch || os.arch(),
        cpuModel: [c.manufacturer, c.brand].filter(Boolean).join(' ') || os.cpus()[0]?.model || 'unknown',
        cores: c.cores || os.cpus().length || 1,
      }));
      const now = Date.now();
      const wantTemp = now >= noSensorUntil;
      const [facts, load, mem, fs, temp] = await Promise.all([
        fixed,
        si.currentLoad(),
        si.mem(),
        si.fsSize().catch(() => []),
        wantTemp ? si.cpuTemperature().catch(() => null) : Promise.resolve(null),
      ]);
      const temperature = temp && typeof temp.main === 'number' && temp.main > 0 ? temp.main : undefined;
      if (wantTemp && temperature === undefined) noSensorUntil = now + TEMPERATURE_RETRY_MS;
      const seen = new Set<string>();
      const disks = fs
        .filter((d) => d.size > 0 && !SKIP_FS.test(d.type) && !seen.has(d.fs) && seen.add(d.fs))
        .sort((a, b) => b.size - a.size)
        .slice(0, MAX_DISKS)
        .map((d) => ({ mount: d.mount, total: d.size, used: d.used }));
      const sample: HostSample = {
        at: now,
        hostname: os.hostname(),
        ...facts,
        cpuPercent: clampPercent(load.currentLoad),
        memTotal: mem.total,
        // "used" would include the page cache; what programs hold is total - available.
        memUsed: Math.max(0, mem.total - (mem.available || mem.free)),
        swapTotal: mem.swaptotal,
        swapUsed: mem.swapused,
        disks,
        uptimeSeconds: Math.floor(os.uptime()),
      };
      if (process.platform !== 'win32') sample.load = os.loadavg().map((n) => Math.round(n * 100) / 100) as [number, number, number];
      if (temperature !== undefined) sample.temperatureC = temperature;
      return sample;
    },
  };
}

function clampPercent(n: number): number {
  return Number.isFinite(n) ? Math.min(100, Math.max(0, Math.round(n * 10) / 10)) : 0;
}
