/** One reading of a host's metrics, as a collector takes it. */
export interface HostSample {
  at: number;
  hostname: string;
  os: string;
  platform: string;
  release: string;
  arch: string;
  cpuModel: string;
  cores: number;
  cpuPercent: number;
  /** 1, 5 and 15 minute load averages; absent where the OS has none (Windows). */
  load?: [number, number, number];
  /** Absent (never 0) where there is no sensor. */
  temperatureC?: number;
  memTotal: number;
  memUsed: number;
  swapTotal: number;
  swapUsed: number;
  disks: { mount: string; total: number; used: number }[];
  uptimeSeconds: number;
}

export interface Collector {
  sample(): Promise<HostSample>;
}
