import type { HostSample } from '../../src/status/Collector.js';

const GiB = 1024 ** 3;

/** A host sample for tests: a 4-core Linux box with 16 GiB, a quarter used; override what the test is about. */
export function hostSample(over: Partial<HostSample> & Pick<HostSample, 'at'>): HostSample {
  return {
    hostname: 'h',
    os: 'Linux',
    platform: 'linux',
    release: '6',
    arch: 'x64',
    cpuModel: 'cpu',
    cores: 4,
    cpuPercent: 20,
    memTotal: 16 * GiB,
    memUsed: 4 * GiB,
    swapTotal: 0,
    swapUsed: 0,
    disks: [],
    uptimeSeconds: 100,
    ...over,
  };
}
