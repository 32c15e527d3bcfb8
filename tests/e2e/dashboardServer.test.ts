import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import type { SiteSnapshot } from '../../src/site/buildSiteSnapshot.js';
import { checkDashboardConfig } from '../../src/site/dashboardConfig.js';
import { DashboardServer } from '../../src/site/DashboardServer.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import type { Store } from '../../src/store/Store.js';
import { createLogger } from '../../src/util/logger.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { waitFor } from '../helpers/jobFleet.js';
import { openStore } from '../helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request: the path is sent exactly as given (fetch would normalise `..` away). */
function request(base: string, target: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: target, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An open event stream: the `commit` events so far, and whether the server ended it. */
function openEvents(base: string): Promise<{ status: number; commits: string[]; ended: Promise<void>; close(): void }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: '/events' }, (res) => {
      const commits: string[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: commit$/m.test(block)) commits.push((JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { commit: string }).commit);
        }
      });
      const ended = new Promise<void>((done) => res.on('end', done));
      resolve({ status: res.statusCode ?? 0, commits, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

describe('DashboardServer (gitfleet serve)', () => {
  let remote: FleetRemote;
  let writer: Store;
  let reader: Store;
  let server: DashboardServer;
  let base: string;
  const logs: string[] = [];

  beforeAll(async () => {
    remote = await startFleetRemote();
    writer = openStore({ url: remote.httpUrl });
    await writer.transact('init', initFleetPlan({ name: 'served' }), { createBranch: true });
    await writer.transact('job', () => new ChangeSet().put('job', composeJob({ kind: 'build', createdBy: 'op:test' })));
    // The assets folder sits next to a file no request may reach.
    const root = tempDir('gitfleet-assets-');
    const assets = path.join(root, 'assets');
    mkdirSync(path.join(assets, 'sub'), { recursive: true });
    writeFileSync(path.join(root, 'secret.txt'), 'secret');
    writeFileSync(path.join(assets, 'index.html'), '<!doctype html><title>fake dashboard</title>');
    writeFileSync(path.join(assets, 'app.js'), 'console.log("app")');
    writeFileSync(path.join(assets, 'big.js'), `// ${'x'.repeat(20_000)}\n`);
    writeFileSync(path.join(assets, 'sub', 'x.css'), 'body{}');
    writeFileSync(path.join(assets, '.hidden'), 'hidden');
    symlinkSync(path.join(root, 'secret.txt'), path.join(assets, 'link.txt'));
    reader = openStore({ url: remote.httpUrl });
    const logger = createLogger({ level: 'info', write: (line) => logs.push(line) });
    server = new DashboardServer({ store: reader, assetsDir: assets, port: 0, pollMs: 200, maxStreams: 2, logger });
    base = (await server.start()).url;
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    await reader?.close();
    await writer?.close();
    await remote?.close();
    cleanupTempDirs();
  });

  it('serves index.html at / and the other files, with the security headers', async () => {
    const page = await request(base, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body.toString()).toContain('fake dashboard');
    expect(page.headers['content-security-policy']).toBe(CSP);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const app = await request(base, '/app.js?v=1');
    expect([app.status, app.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect((await request(base, '/sub/x.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    // Text assets go out gzipped when the client accepts it (small ones are not worth it).
    const big = await request(base, '/big.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect([big.headers['content-encoding'], big.headers.vary]).toEqual(['gzip', 'Accept-Encoding']);
    expect(gunzipSync(big.body).toString()).toBe(`// ${'x'.repeat(20_000)}\n`);
    expect((await request(base, '/big.js')).headers['content-encoding']).toBeUndefined();
    expect((await request(base, '/big.js', { headers: { 'accept-encoding': 'gzip;q=0' } })).body.length).toBe(20_004);
    const head = await request(base, '/app.js', { method: 'HEAD' });
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, '18', 0]);
  });

  it('answers 404 to every way out of the assets folder, and to folders and hidden files', async () => {
    for (const target of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/sub/../../secret.txt',
      '/sub/..%5c..%5csecret.txt',
      '/app.js%00.html',
      '/%c0%ae%c0%ae/secret.txt',
      '/link.txt',
      '/sub',
      '/sub/',
      '//secret.txt',
      '/.hidden',
      '/missing.js',
    ]) {
      const reply = await request(base, target);
      expect(reply.status, target).toBe(404);
      expect(reply.body.toString(), target).not.toContain('secret');
      expect(reply.headers['content-security-policy'], target).toBe(CSP);
    }
  });

  it('refuses a foreign Host header (DNS rebinding) and accepts the loopback names', async () => {
    const port = new URL(base).port;
    for (const host of [`evil.example:${port}`, 'attacker.test', `127.0.0.1.evil.example:${port}`]) {
      const reply = await request(base, '/snapshot.json', { headers: { host } });
      expect(reply.status, host).toBe(421);
      expect(reply.body.toString()).not.toContain('schemaVersion');
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await request(base, '/dashboard.json', { headers: { host } })).status, host).toBe(200);
    }
  });

  it('refuses other methods than GET and HEAD with 405', async () => {
    for (const [method, target] of [
      ['POST', '/'],
      ['PUT', '/snapshot.json'],
      ['DELETE', '/events'],
    ] as const) {
      const reply = await request(base, target, { method });
      expect(reply.status, method).toBe(405);
      expect(reply.headers.allow).toBe('GET, HEAD');
    }
  });

  it('serves the snapshot of the head, gzip-encoded when the client accepts it', async () => {
    const plain = await request(base, '/snapshot.json');
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('no-store');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const site = JSON.parse(plain.body.toString()) as SiteSnapshot;
    expect(site.commit).toBe(remote.head());
    expect(Object.keys(site.files)).toContain('fleet.json');
    expect(Object.keys(site.files).some((p) => p.startsWith('jobs/'))).toBe(true);
    const zipped = await request(base, '/snapshot.json', { headers: { 'Accept-Encoding': 'br, gzip;q=0.8' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(JSON.parse(gunzipSync(zipped.body).toString())).toEqual(site);
    const refused = await request(base, '/snapshot.json', { headers: { 'Accept-Encoding': 'gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('serves dashboard.json pointing the page at the snapshot and the event stream', async () => {
    const reply = await request(base, '/dashboard.json');
    const config = JSON.parse(reply.body.toString()) as unknown;
    expect(config).toEqual({
      format: 'gitfleet-dashboard',
      version: 1,
      snapshot: 'snapshot.json',
      live: { type: 'serve', snapshot: 'snapshot.json', events: 'events' },
    });
    expect(checkDashboardConfig(config)).toEqual({ config });
  });

  it('keeps serving the last snapshot while the remote is down, saying so once, and recovers', async () => {
    const before = remote.head();
    await remote.server.stop();
    try {
      expect(await waitFor(() => logs.some((l) => l.includes('dashboard.fetch-failed')), 20_000, 50)).toBe(true);
      // Several failed polls later: still one line, and still the last snapshot.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(logs.filter((l) => l.includes('dashboard.fetch-failed'))).toHaveLength(1);
      const reply = await request(base, '/snapshot.json');
      expect(reply.status).toBe(200);
      expect((JSON.parse(reply.body.toString()) as SiteSnapshot).commit).toBe(before);
    } finally {
      await remote.server.start();
    }
    expect(await waitFor(() => logs.some((l) => l.includes('dashboard.fetch-recovered')), 20_000, 50)).toBe(true);
  });

  it('streams the head at once and each new one, bounds the streams, and ends them on stop()', async () => {
    const events = await openEvents(base);
    expect(events.status).toBe(200);
    expect(await waitFor(() => events.commits.length > 0, 10_000, 20)).toBe(true);
    expect(events.commits[0]).toBe(remote.head());
    const second = await openEvents(base);
    expect((await request(base, '/events')).status).toBe(503);
    second.close();

    const result = await writer.transact('another job', () => new ChangeSet().put('job', composeJob({ kind: 'test', createdBy: 'op:test' })));
    expect(result.status).toBe('committed');
    const commit = (result as { commit: string }).commit;
    expect(await waitFor(() => events.commits.includes(commit), 20_000, 50)).toBe(true);
    const site = JSON.parse((await request(base, '/snapshot.json')).body.toString()) as SiteSnapshot;
    expect(site.commit).toBe(commit);

    await server.stop();
    await events.ended;
  });
});
