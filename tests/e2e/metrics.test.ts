import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_HEALTH_STATES } from '../../src/metrics/serverFamilies.js';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { waitFor } from '../helpers/jobFleet.js';
import { type ParsedFamily, parsePrometheusText, sampleValue } from '../helpers/prometheusText.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');
const POLL_MS = 1_000;
const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
const status = (server: string, updatedAt: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ schemaVersion: 1, server, updatedAt, seq: 1, health: { state: 'healthy' }, ...extra });

describe('Prometheus metrics: serve /metrics and gitfleet metrics', () => {
  let remote: FleetRemote;
  let work: string;
  let env: Record<string, string>;
  let serve: ChildProcess;
  let url: string;
  const scrape = async () => {
    const res = await fetch(new URL('metrics', url));
    return { res, body: new Uint8Array(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    remote = await startFleetRemote();
    work = tempDir();
    env = { GITFLEET_REPO: remote.httpUrl, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data') };
    expect((await runGitfleet(['init'], { env })).code).toBe(0);
    // Two real agents report (simulated figures), one after the other: each its own data folder.
    for (const server of ['real-01', 'real-02']) {
      const run = await runGitfleet(['agent', '--once', '--now', '--simulate', '--server', server], {
        env: { ...env, GITFLEET_DATA_DIR: path.join(work, server) },
      });
      expect(run.code, run.stderr).toBe(0);
    }
    // A third went silent three days ago; a queued job, a critical broadcast, a note to an operator.
    plantFiles(remote.bareDir, {
      'status/web-03.json': status('web-03', ago(3 * 86_400), {
        labels: ['web'],
        cpu: { cores: 8, usagePercent: 40, load: [1, 2, 3] },
        memory: { totalBytes: 8_000, usedBytes: 2_000 },
        disks: [{ mount: '/', totalBytes: 100, usedBytes: 90 }],
      }),
      'jobs/job-q1.json': JSON.stringify({
        schemaVersion: 1,
        id: 'job-q1',
        kind: 'build',
        params: {},
        priority: 'high',
        state: 'queued',
        createdAt: ago(120),
        createdBy: 'op:ann',
        attempts: 0,
      }),
      'messages/msg-c1.json': JSON.stringify({
        schemaVersion: 1,
        id: 'msg-c1',
        from: 'op:ann',
        to: 'all',
        priority: 'critical',
        type: 'warning',
        subject: 'disk',
        createdAt: ago(60),
        thread: 'msg-c1',
      }),
      'messages/msg-o1.json': JSON.stringify({
        schemaVersion: 1,
        id: 'msg-o1',
        from: 'real-01',
        to: 'op:ann',
        priority: 'normal',
        type: 'response',
        subject: 'done',
        createdAt: ago(30),
        thread: 'msg-o1',
      }),
    });
    serve = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--poll', `${POLL_MS / 1000}s`, '--cache-dir', path.join(work, 'serve-cache')], {
      env: { ...process.env, GITFLEET_REPO: remote.httpUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    serve.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    serve.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    expect(await waitFor(() => /metrics: (http:\S+)/.test(out), 20_000, 50), out).toBe(true);
    url = /dashboard: (http:\S+)/.exec(out)![1]!;
  }, 60_000);
  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve.once('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    await remote?.close();
    cleanupTempDirs();
  });

  it('serves /metrics in the text format 0.0.4 over loopback: the strict parser reads it and the values are the records', async () => {
    const { res, body } = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const f = parsePrometheusText(body);
    for (const server of ['real-01', 'real-02', 'web-03']) {
      const states = f.get('gitfleet_server_health')!.samples.filter((s) => s.labels.server === server);
      expect(states.map((s) => s.labels.state)).toEqual([...SERVER_HEALTH_STATES]);
      expect(states.filter((s) => s.value === 1)).toHaveLength(1);
    }
    expect(sampleValue(f, 'gitfleet_server_health', { server: 'web-03', state: 'offline' })).toBe(1);
    expect(sampleValue(f, 'gitfleet_server_health', { server: 'real-01', state: 'offline' })).toBe(0);
    expect(sampleValue(f, 'gitfleet_server_heartbeat_age_seconds', { server: 'web-03' })).toBeGreaterThanOrEqual(3 * 86_400);
    expect(sampleValue(f, 'gitfleet_server_cpu_usage_ratio', { server: 'web-03' })).toBe(0.4);
    expect(sampleValue(f, 'gitfleet_server_memory_used_ratio', { server: 'web-03' })).toBe(0.25);
    expect(sampleValue(f, 'gitfleet_server_disk_used_ratio', { server: 'web-03', mount: '/' })).toBe(0.9);
    expect(sampleValue(f, 'gitfleet_server_load5', { server: 'web-03' })).toBe(2);
    expect(sampleValue(f, 'gitfleet_server_label', { server: 'web-03', label: 'web' })).toBe(1);
    // The real agents' own figures: whatever they measured, as they reported it.
    expect(sampleValue(f, 'gitfleet_server_cpu_usage_ratio', { server: 'real-01' })).toBeGreaterThanOrEqual(0);
    expect(sampleValue(f, 'gitfleet_server_cpu_usage_ratio', { server: 'real-01' })).toBeLessThanOrEqual(1);
    expect(sampleValue(f, 'gitfleet_jobs', { state: 'queued', priority: 'high' })).toBe(1);
    expect(sampleValue(f, 'gitfleet_job_queue_oldest_age_seconds', { priority: 'high' })).toBeGreaterThanOrEqual(120);
    expect(sampleValue(f, 'gitfleet_job_failure_ratio')).toBeNaN();
    expect(sampleValue(f, 'gitfleet_messages_open', { priority: 'critical' })).toBe(1);
    expect(sampleValue(f, 'gitfleet_operator_messages_unread', { operator: 'ann' })).toBe(1);
    expect(sampleValue(f, 'gitfleet_invalid_files')).toBe(0);
    for (const family of f.values()) expect(family.help, family.name).toBeTruthy();
    const head = await fetch(new URL('metrics', url), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await head.text()).toBe('');
  });

  it('gitfleet metrics prints the same families, and --out writes them atomically (no temporary file left)', async () => {
    const names = (f: Map<string, ParsedFamily>) => [...f.keys()];
    const served = parsePrometheusText((await scrape()).body);
    const printed = await runGitfleet(['metrics'], { env });
    expect(printed.code, printed.stderr).toBe(0);
    expect(names(parsePrometheusText(printed.stdout))).toEqual(names(served));
    const dir = path.join(work, 'textfile');
    const file = path.join(dir, 'gitfleet.prom');
    const written = await runGitfleet(['metrics', '--out', file], { env });
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout.trim()).toBe(`wrote ${file}`);
    const fromFile = parsePrometheusText(readFileSync(file));
    expect(names(fromFile)).toEqual(names(served));
    expect(sampleValue(fromFile, 'gitfleet_server_health', { server: 'web-03', state: 'offline' })).toBe(1);
    expect(readdirSync(dir)).toEqual(['gitfleet.prom']);
    // --json: where it wrote; without --out, the families themselves (NaN spelled as in the text).
    const json = await runGitfleet(['metrics', '--out', file, '--json'], { env });
    expect(JSON.parse(json.stdout)).toEqual({ file, bytes: readFileSync(file).byteLength });
    const doc = JSON.parse((await runGitfleet(['metrics', '--json'], { env })).stdout) as {
      families: { name: string; type: string; samples: { labels: Record<string, string>; value: number | string }[] }[];
    };
    expect(doc.families.map((f) => f.name)).toEqual(names(served));
    expect(doc.families.find((f) => f.name === 'gitfleet_job_failure_ratio')!.samples).toEqual([{ labels: {}, value: 'NaN' }]);
    // A folder is refused up front, in one line, and nothing is left beside it.
    const folder = await runGitfleet(['metrics', '--out', dir], { env });
    expect(folder.code).toBe(2);
    expect(folder.stderr.trim().split('\n')).toHaveLength(1);
    expect(folder.stderr).toContain(`--out ${dir} is a folder`);
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('stays valid text with hostile records: odd and huge label values, duplicate disks, invalid and oddly named files', async () => {
    const commit = plantFiles(remote.bareDir, {
      'status/odd-01.json': status('odd-01', ago(5), {
        host: { hostname: `${'h'.repeat(240)}"\\{}\u202e=,` },
        agent: { version: 'x\ny"z\\\u0007' },
        disks: [
          { mount: `/a"b\\c\u200b${'m'.repeat(180)}`, totalBytes: 10, usedBytes: 1 },
          { mount: `/a"b\\c\u200b${'m'.repeat(180)}`, totalBytes: 10, usedBytes: 2 },
          { mount: '/', totalBytes: 0, usedBytes: 0 },
        ],
      }),
      'status/odd-02.json': '{"schemaVersion": 1, "server": "odd-02", "seq": "many"}',
      'status/We"ird\\Name.json': status('weird', ago(5)),
    });
    // serve picks the commit up on its next poll.
    let text = new Uint8Array();
    expect(
      await waitFor(
        async () => {
          text = (await scrape()).body;
          return Buffer.from(text).includes('odd-02');
        },
        20 * POLL_MS,
        POLL_MS / 4,
      ),
    ).toBe(true);
    const cli = await runGitfleet(['metrics'], { env });
    expect(cli.code, cli.stderr).toBe(0);
    for (const exposition of [text, cli.stdout]) {
      const f = parsePrometheusText(exposition);
      const info = f.get('gitfleet_server_info')!.samples.find((s) => s.labels.server === 'odd-01')!;
      expect(Array.from(info.labels.hostname!).length).toBeLessThanOrEqual(120);
      expect(info.labels.agent_version).toBe('x\ny"z\\\ufffd');
      expect(f.get('gitfleet_server_disk_used_bytes')!.samples.filter((s) => s.labels.server === 'odd-01')).toHaveLength(2);
      // A disk of size 0 has no used ratio, rather than NaN or a division by zero.
      expect(f.get('gitfleet_server_disk_used_ratio')!.samples.filter((s) => s.labels.server === 'odd-01')).toHaveLength(1);
      expect(sampleValue(f, 'gitfleet_server_health', { server: 'odd-02', state: 'invalid' })).toBe(1);
      // A file whose name is no server id is no server: it counts among the invalid files only.
      expect(f.get('gitfleet_server_health')!.samples.some((s) => s.labels.server!.includes('ird'))).toBe(false);
      expect(sampleValue(f, 'gitfleet_invalid_files')).toBe(2);
      expect(sampleValue(f, 'gitfleet_metrics_dropped_series')).toBeGreaterThanOrEqual(3);
    }
    expect(commit).toBe(remote.head());
  });
});
