import { HEALTH_ORDER } from '../status/evaluateHealth.js';
import { FamilyBuilder } from './FamilyBuilder.js';
import type { MetricsView } from './MetricsView.js';

/** Every state gitfleet_server_health reports, one series each (0 or 1): the states of `gitfleet status`. */
export const SERVER_HEALTH_STATES = [...HEALTH_ORDER, 'invalid'] as const;

/** Six decimals: a percentage over 100 must read 0.036, not 0.036000000000000004. */
const round = (x: number) => Math.round(x * 1e6) / 1e6;
const ratio = (used: number | undefined, total: number | undefined) => (used === undefined || !total ? undefined : round(used / total));
const fromPercent = (p: number | undefined) => (p === undefined ? undefined : round(p / 100));

/**
 * Per-server families. Resource figures are as the server last reported them; health and
 * heartbeat age are judged now (as `gitfleet status` judges them), and held jobs come from
 * jobs/ (the source of truth). Ratios are 0..1 and times seconds, Prometheus's base units.
 */
export function serverFamilies(view: MetricsView): FamilyBuilder[] {
  const f = {
    info: new FamilyBuilder('gitfleet_server_info', 'gauge', 'Always 1: what the server reports about itself, as labels'),
    label: new FamilyBuilder('gitfleet_server_label', 'gauge', 'Always 1: one series per label of the server (its status record)'),
    health: new FamilyBuilder('gitfleet_server_health', 'gauge', 'Server health as gitfleet status judges it: 1 for its current state, 0 for the others'),
    draining: new FamilyBuilder('gitfleet_server_draining', 'gauge', '1 when the server takes no new jobs (fleet.json drain list or its own report)'),
    age: new FamilyBuilder('gitfleet_server_heartbeat_age_seconds', 'gauge', 'Seconds since the server last reported'),
    cpu: new FamilyBuilder('gitfleet_server_cpu_usage_ratio', 'gauge', 'CPU in use, 0 to 1, as last reported'),
    cores: new FamilyBuilder('gitfleet_server_cpu_cores', 'gauge', 'CPU cores'),
    load1: new FamilyBuilder('gitfleet_server_load1', 'gauge', 'Load average over 1 minute'),
    load5: new FamilyBuilder('gitfleet_server_load5', 'gauge', 'Load average over 5 minutes'),
    load15: new FamilyBuilder('gitfleet_server_load15', 'gauge', 'Load average over 15 minutes'),
    memTotal: new FamilyBuilder('gitfleet_server_memory_total_bytes', 'gauge', 'Memory in total'),
    memUsed: new FamilyBuilder('gitfleet_server_memory_used_bytes', 'gauge', 'Memory in use'),
    memRatio: new FamilyBuilder('gitfleet_server_memory_used_ratio', 'gauge', 'Memory in use, 0 to 1'),
    diskTotal: new FamilyBuilder('gitfleet_server_disk_total_bytes', 'gauge', 'Size of each reported file system'),
    diskUsed: new FamilyBuilder('gitfleet_server_disk_used_bytes', 'gauge', 'Space in use on each reported file system'),
    diskRatio: new FamilyBuilder('gitfleet_server_disk_used_ratio', 'gauge', 'Space in use on each reported file system, 0 to 1'),
    uptime: new FamilyBuilder('gitfleet_server_uptime_seconds', 'gauge', 'Seconds since the server booted, as last reported'),
    availability: new FamilyBuilder(
      'gitfleet_server_availability_ratio',
      'gauge',
      "Share of the window the server's agent was seen running, 0 to 1, as last reported",
    ),
    daily: new FamilyBuilder(
      'gitfleet_server_daily_uptime_ratio',
      'gauge',
      'Share of the last 30 or 90 UTC days the server was up, 0 to 1: silence past the offline threshold counts as down, maintenance is left out',
    ),
    latency: new FamilyBuilder('gitfleet_server_remote_latency_seconds', 'gauge', "The agent's last measured round trip to the fleet repository"),
    slots: new FamilyBuilder('gitfleet_server_job_slots', 'gauge', 'Jobs the server runs at once at most'),
    running: new FamilyBuilder('gitfleet_server_jobs_running', 'gauge', 'Jobs the server last reported running'),
    held: new FamilyBuilder('gitfleet_server_jobs_held', 'gauge', 'Jobs assigned to or running on the server, as jobs/ says'),
  };
  for (const row of view.rows) {
    const server = { server: row.server };
    for (const state of SERVER_HEALTH_STATES) f.health.add({ ...server, state }, row.health === state ? 1 : 0);
    f.draining.add(server, row.draining ? 1 : 0);
    f.held.add(server, row.heldJobs);
    f.age.add(server, row.ageSeconds);
    f.daily.add({ ...server, window: '30d' }, fromPercent(row.uptime?.pct30 ?? undefined));
    f.daily.add({ ...server, window: '90d' }, fromPercent(row.uptime?.pct90 ?? undefined));
    const s = row.health === 'invalid' ? undefined : view.statuses.get(row.server);
    if (!s) continue;
    f.info.add(
      { ...server, hostname: s.host?.hostname ?? '', platform: s.host?.platform ?? '', arch: s.host?.arch ?? '', agent_version: s.agent?.version ?? '' },
      1,
    );
    for (const label of s.labels ?? []) f.label.add({ ...server, label }, 1);
    f.cpu.add(server, fromPercent(s.cpu?.usagePercent));
    f.cores.add(server, s.cpu?.cores);
    f.load1.add(server, s.cpu?.load?.[0]);
    f.load5.add(server, s.cpu?.load?.[1]);
    f.load15.add(server, s.cpu?.load?.[2]);
    f.memTotal.add(server, s.memory?.totalBytes);
    f.memUsed.add(server, s.memory?.usedBytes);
    f.memRatio.add(server, ratio(s.memory?.usedBytes, s.memory?.totalBytes));
    for (const d of s.disks ?? []) {
      const disk = { ...server, mount: d.mount };
      f.diskTotal.add(disk, d.totalBytes);
      f.diskUsed.add(disk, d.usedBytes);
      f.diskRatio.add(disk, ratio(d.usedBytes, d.totalBytes));
    }
    f.uptime.add(server, s.uptimeSeconds);
    f.availability.add({ ...server, window: '24h' }, fromPercent(s.availability?.pct24h));
    f.availability.add({ ...server, window: '7d' }, fromPercent(s.availability?.pct7d));
    f.latency.add(server, s.remoteLatencyMs === undefined ? undefined : s.remoteLatencyMs / 1000);
    f.slots.add(server, s.jobs?.slots);
    f.running.add(server, s.jobs?.running?.length ?? 0);
  }
  return Object.values(f);
}
