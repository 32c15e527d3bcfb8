import { describe, expect, it } from 'vitest';
import { memorySnapshot } from '../store/memorySnapshot.js';
import { parsePrometheusText, sampleValue } from '../../tests/helpers/prometheusText.js';
import { readMetricsView } from './MetricsView.js';
import { MAX_LABEL_VALUE_CHARS } from './metricText.js';
import { renderMetrics } from './renderMetrics.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const status = (server: string, updatedAt: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ schemaVersion: 1, server, updatedAt, seq: 1, health: { state: 'healthy' }, ...extra });
const job = (id: string, state: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    schemaVersion: 1,
    id,
    kind: 'build',
    params: {},
    priority: 'normal',
    state,
    createdAt: ago(600),
    createdBy: 'op:ann',
    attempts: 0,
    ...extra,
  });
const message = (id: string, extra: Record<string, unknown>) =>
  JSON.stringify({ schemaVersion: 1, id, from: 'op:ann', to: 'all', priority: 'normal', type: 'info', subject: 's', createdAt: ago(60), thread: id, ...extra });

async function metricsOf(files: Record<string, string>) {
  const text = renderMetrics(await readMetricsView(memorySnapshot(files), '', NOW));
  return { text, families: parsePrometheusText(text) };
}

describe('renderMetrics', () => {
  it('reports each server: health as one series per state, age, CPU, memory, disks, load, labels, availability', async () => {
    const { families } = await metricsOf({
      'status/web-01.json': status('web-01', ago(10), {
        labels: ['web', 'eu'],
        host: { hostname: 'web-01.example', platform: 'linux', arch: 'x64' },
        agent: { version: '1.2.3' },
        cpu: { cores: 4, usagePercent: 25, load: [0.5, 0.75, 1] },
        memory: { totalBytes: 1000, usedBytes: 250 },
        disks: [
          { mount: '/', totalBytes: 100, usedBytes: 50 },
          { mount: '/data', totalBytes: 400, usedBytes: 100 },
        ],
        uptimeSeconds: 3600,
        availability: { pct24h: 99.5, pct7d: 100 },
        jobs: { slots: 2, running: [] },
      }),
      'status/db-01.json': status('db-01', ago(3 * 86_400)),
    });
    const v = (name: string, labels: Record<string, string> = {}) => sampleValue(families, name, { server: 'web-01', ...labels });
    expect(v('gitfleet_server_health', { state: 'healthy' })).toBe(1);
    expect(v('gitfleet_server_health', { state: 'offline' })).toBe(0);
    expect(sampleValue(families, 'gitfleet_server_health', { server: 'db-01', state: 'offline' })).toBe(1);
    expect(families.get('gitfleet_server_health')!.samples.filter((s) => s.labels.server === 'db-01')).toHaveLength(8); // one per state, maintenance included
    expect(v('gitfleet_server_heartbeat_age_seconds')).toBe(10);
    // Three days silent, no daily history of its own: the silence counts as down.
    expect(sampleValue(families, 'gitfleet_server_daily_uptime_ratio', { server: 'db-01', window: '30d' })).toBe(0);
    expect(v('gitfleet_server_cpu_usage_ratio')).toBe(0.25);
    expect(v('gitfleet_server_load15')).toBe(1);
    expect(v('gitfleet_server_memory_used_ratio')).toBe(0.25);
    expect(v('gitfleet_server_disk_used_ratio', { mount: '/data' })).toBe(0.25);
    expect(v('gitfleet_server_availability_ratio', { window: '24h' })).toBe(0.995);
    expect(v('gitfleet_server_info', { hostname: 'web-01.example', platform: 'linux', agent_version: '1.2.3' })).toBe(1);
    expect(families.get('gitfleet_server_label')!.samples.map((s) => s.labels.label)).toEqual(['web', 'eu']);
    expect(families.get('gitfleet_server_info')!.type).toBe('gauge');
  });

  it('counts jobs by state and priority, the oldest wait, recent waits and the failure rate', async () => {
    const started = (wait: number) => ({
      history: [{ attempt: 1, outcome: 'succeeded', startedAt: ago(1200 - wait), endedAt: ago(100) }],
      createdAt: ago(1200),
    });
    const { families } = await metricsOf({
      'jobs/q1.json': job('q1', 'queued', { priority: 'high', createdAt: ago(300) }),
      'jobs/q2.json': job('q2', 'queued', { priority: 'high', createdAt: ago(30) }),
      'jobs/q3.json': job('q3', 'queued', { createdAt: ago(900), notBefore: ago(120) }),
      'jobs/later.json': job('later', 'queued', { priority: 'low', createdAt: ago(900), notBefore: new Date(NOW + 60_000).toISOString() }),
      'jobs/s1.json': job('s1', 'succeeded', { attempts: 1, ...started(10) }),
      'jobs/s2.json': job('s2', 'succeeded', { attempts: 1, ...started(20) }),
      'jobs/f1.json': job('f1', 'dead', {
        attempts: 2,
        ...started(40),
        history: [
          { attempt: 1, outcome: 'failed', startedAt: ago(1160), endedAt: ago(500) },
          { attempt: 2, outcome: 'lost', endedAt: ago(400) },
        ],
      }),
      'jobs/old.json': job('old', 'failed', {
        attempts: 1,
        history: [{ attempt: 1, outcome: 'failed', startedAt: ago(9000), endedAt: ago(8000) }],
        createdAt: ago(9999),
      }),
    });
    expect(sampleValue(families, 'gitfleet_jobs', { state: 'queued', priority: 'high' })).toBe(2);
    expect(sampleValue(families, 'gitfleet_jobs', { state: 'running', priority: 'critical' })).toBe(0);
    expect(families.get('gitfleet_jobs')!.samples).toHaveLength(28);
    expect(sampleValue(families, 'gitfleet_job_queue_oldest_age_seconds', { priority: 'high' })).toBe(300);
    expect(sampleValue(families, 'gitfleet_job_queue_oldest_age_seconds', { priority: 'normal' })).toBe(120);
    // Not due yet: it does not wait for a server.
    expect(sampleValue(families, 'gitfleet_job_queue_oldest_age_seconds', { priority: 'low' })).toBe(0);
    expect(sampleValue(families, 'gitfleet_jobs_started_recent')).toBe(3);
    expect(sampleValue(families, 'gitfleet_job_wait_seconds', { quantile: '0.5' })).toBe(20);
    expect(sampleValue(families, 'gitfleet_job_wait_seconds', { quantile: '0.99' })).toBe(40);
    expect(sampleValue(families, 'gitfleet_job_attempts_recent', { outcome: 'lost' })).toBe(1);
    // Two succeeded, one failed in the window; the lost attempt and the old failure do not count.
    expect(sampleValue(families, 'gitfleet_job_failure_ratio')).toBeCloseTo(1 / 3);
  });

  it('says NaN, not 0, for rates with nothing to measure', async () => {
    const { families, text } = await metricsOf({});
    expect(sampleValue(families, 'gitfleet_job_failure_ratio')).toBeNaN();
    expect(sampleValue(families, 'gitfleet_job_wait_seconds', { quantile: '0.5' })).toBeNaN();
    expect(text).toContain('gitfleet_job_failure_ratio NaN\n');
  });

  it('counts messages needing attention by priority, and unread ones per operator', async () => {
    const { families } = await metricsOf({
      'status/web-01.json': status('web-01', ago(10), { labels: ['web'] }),
      'status/web-02.json': status('web-02', ago(10)),
      'messages/m1.json': message('m1', { priority: 'critical', to: 'label:web' }),
      'messages/m2.json': message('m2', { priority: 'critical', to: 'all' }),
      'messages/m3.json': message('m3', { priority: 'critical', to: 'all', expiresAt: ago(1) }),
      'messages/m4.json': message('m4', { from: 'web-01', to: 'op:ann' }),
      'messages/m5.json': message('m5', { from: 'web-02', to: 'op:ann' }),
      'messages/m6.json': message('m6', { from: 'web-02', to: 'op:bob' }),
      'messages/receipts/web-01.json': JSON.stringify({
        schemaVersion: 1,
        server: 'web-01',
        read: { m1: ago(5), m2: ago(5) },
        acked: { m1: ago(5), m2: ago(5) },
      }),
      'messages/receipts/op.ann.json': JSON.stringify({ schemaVersion: 1, server: 'op:ann', read: { m4: ago(5) } }),
    });
    // m1 is acknowledged by its only reader; m2 still waits for web-02; m3 expired.
    expect(sampleValue(families, 'gitfleet_messages_open', { priority: 'critical' })).toBe(1);
    expect(sampleValue(families, 'gitfleet_messages_open', { priority: 'normal' })).toBe(3);
    expect(sampleValue(families, 'gitfleet_operator_messages_unread', { operator: 'ann' })).toBe(1);
    expect(sampleValue(families, 'gitfleet_operator_messages_unread', { operator: 'bob' })).toBe(1);
  });

  it('stays valid with hostile values: quotes, backslashes, newlines, controls, huge and duplicate labels', async () => {
    // Within the schema (it refuses control characters in a mount), yet longer than a label may be.
    const long = `${'x'.repeat(190)}"\\`;
    const { text, families } = await metricsOf({
      'status/web-01.json': status('web-01', ago(10), {
        host: { hostname: 'a"b\\c}{d="e",f\u202e' },
        agent: { version: 'v\n\u2028\u0085\u0007"x' },
        disks: [
          { mount: long, totalBytes: 10, usedBytes: 1 },
          { mount: `${long}y`, totalBytes: 10, usedBytes: 2 },
          { mount: '/', totalBytes: 10, usedBytes: 3 },
          { mount: '/', totalBytes: 10, usedBytes: 4 },
        ],
      }),
      'status/Bad Name"\n.json': '{"not": "a status"}',
      'status/web-02.json': '{ not json',
    });
    expect(sampleValue(families, 'gitfleet_server_info', { hostname: 'a"b\\c}{d="e",f\ufffd' })).toBe(1);
    const mounts = families.get('gitfleet_server_disk_used_bytes')!.samples.map((s) => s.labels.mount!);
    expect(mounts).toHaveLength(2);
    expect(Array.from(mounts[0]!)).toHaveLength(MAX_LABEL_VALUE_CHARS);
    expect(sampleValue(families, 'gitfleet_server_disk_used_bytes', { mount: '/' })).toBe(3);
    expect(sampleValue(families, 'gitfleet_metrics_dropped_series')).toBeGreaterThanOrEqual(6);
    expect(sampleValue(families, 'gitfleet_server_health', { server: 'web-02', state: 'invalid' })).toBe(1);
    expect(sampleValue(families, 'gitfleet_invalid_files')).toBe(2);
    expect(families.get('gitfleet_server_info')!.samples[0]!.labels.agent_version).toBe('v\n\ufffd\ufffd\ufffd"x');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u0085\u2028\u202e]/);
  });
});
