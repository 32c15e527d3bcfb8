import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobProcess } from '../../src/agent/runJobProcess.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeMessage } from '../../src/messages/composeMessage.js';
import { redactSecrets } from '../../src/messages/secretScanner.js';
import { DashboardServer } from '../../src/site/DashboardServer.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { waitFor } from '../helpers/jobFleet.js';
import { openStore } from '../helpers/openStore.js';
import { rawRequest, rawStatus } from '../helpers/rawHttp.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');

describe('low items of issue 10, with the built CLI and real git', () => {
  let remote: FleetRemote;
  const cache = () => path.join(tempDir('gitfleet-low-'), 'cache');

  beforeAll(async () => {
    remote = await startFleetRemote();
    const store = openStore({ url: remote.httpUrl });
    await store.transact('init', initFleetPlan(), { createBranch: true });
    // Enough messages that `msg list --json` writes far more than a pipe holds.
    await store.transact('many messages', () => {
      const changes = new ChangeSet();
      const now = Date.now();
      for (let i = 0; i < 1500; i++)
        changes.put(
          'message',
          composeMessage({ from: 'web-01', to: 'all', subject: `message number ${i} of many`, body: 'x'.repeat(200), now: now - i * 1000 }),
        );
      return changes;
    });
    await store.close();
  }, 60_000);

  afterAll(async () => {
    await remote?.close();
    cleanupTempDirs();
  });

  it('agent install refuses a token written in the repository URL and writes no config', async () => {
    const dataDir = tempDir('gitfleet-inst-');
    const run = await runGitfleet(['agent', 'install', '--scheduler', 'systemd', '--target-dir', tempDir('gitfleet-units-'), '--no-activate'], {
      env: { GITFLEET_REPO: 'https://bot:tok-Inst4ll-s3cr3t@git.example.com/acme/fleet.git', GITFLEET_SERVER: 'web-01', GITFLEET_DATA_DIR: dataDir },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/holds a credential.*tokenFile/);
    expect(run.stdout + run.stderr).not.toContain('tok-Inst4ll-s3cr3t');
    expect(existsSync(path.join(dataDir, 'agent.config.json'))).toBe(false);
    // A unit file cannot be given directives of its own through --run-as either.
    const units = tempDir('gitfleet-units-');
    const runAs = await runGitfleet(
      ['agent', 'install', '--scheduler', 'systemd', '--target-dir', units, '--no-activate', '--run-as', 'root\nExecStartPre=/bin/false'],
      {
        env: { GITFLEET_REPO: 'https://git.example.com/acme/fleet.git', GITFLEET_SERVER: 'web-01', GITFLEET_DATA_DIR: dataDir },
      },
    );
    expect(runAs.code, runAs.stderr).toBe(2);
    expect(readdirSync(units)).toEqual([]);
  });

  it('msg send refuses the token this process runs with, as typed, URL-encoded or base64, even with --allow-secret', async () => {
    const token = 'plain/Tok3n+value-of-this-machine';
    const before = remote.head();
    for (const body of [`here: ${token}`, `x=${encodeURIComponent(token)}`, Buffer.from(token).toString('base64')]) {
      for (const allow of [false, true]) {
        const run = await runGitfleet(
          [
            'msg',
            'send',
            '--to',
            'all',
            '--subject',
            'hi',
            '--body',
            body,
            '--repo',
            remote.httpUrl,
            '--cache-dir',
            cache(),
            ...(allow ? ['--allow-secret'] : []),
          ],
          {
            env: { GITFLEET_TOKEN: token, GITFLEET_NO_STDIN: '1' },
          },
        );
        expect(run.code, `${body} ${allow}: ${run.stderr}`).toBe(3);
        expect(run.stderr).toMatch(/token/);
        expect(run.stdout + run.stderr).not.toContain(token);
      }
    }
    expect(remote.head()).toBe(before);
  });

  it('a pipe closed early (| head) ends the CLI quietly, without a stack trace', async () => {
    for (const args of [
      ['msg', 'list', '--limit', '100000', '--json'],
      ['msg', 'list', '--limit', '100000'],
    ]) {
      const child = spawn(process.execPath, [BIN, ...args, '--repo', remote.httpUrl, '--cache-dir', cache()], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Read the first chunk, then close the pipe, as `head -c 100` does.
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(stderr, args.join(' ')).not.toMatch(/EPIPE|Error|at /);
      expect(code, stderr).toBe(0);
    }
  });

  it('site leaves the source maps out unless asked (--source-maps)', async () => {
    const out = path.join(tempDir('gitfleet-site-'), 'site');
    const run = await runGitfleet(['site', '--out', out, '--github', '', '--repo', remote.httpUrl, '--cache-dir', cache()]);
    expect(run.code, run.stderr).toBe(0);
    const files = readdirSync(out, { recursive: true }).map(String);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(readFileSync(path.join(out, 'app.js'), 'utf8')).not.toMatch(/sourceMappingURL/);
    const withMaps = path.join(tempDir('gitfleet-site-'), 'site');
    await runGitfleet(['site', '--out', withMaps, '--github', '', '--source-maps', '--repo', remote.httpUrl, '--cache-dir', cache()]);
    expect(readdirSync(withMaps).map(String)).toContain('app.js.map');
  });

  it('job output tails keep pwd=/home/x and still redact Pwd=<a password> (a real process)', async () => {
    const dir = tempDir('gitfleet-pwd-');
    const outcome = await runJobProcess(
      {
        argv: ['/bin/sh', '-c', 'echo "pwd=/home/x"; echo "PWD=/srv/build"; echo "Server=db;Uid=sa;Pwd=hunter22secret;"'],
        cwd: dir,
        env: { PATH: '/usr/bin:/bin' },
        timeoutMs: 20_000,
      },
      { logFile: path.join(dir, 'logs', 'job.log') },
    );
    expect(outcome.outputTail).toContain('pwd=/home/x');
    expect(outcome.outputTail).toContain('PWD=/srv/build');
    expect(outcome.outputTail).not.toContain('hunter22secret');
    expect(redactSecrets('pwd=~/work password=/not/a/path-but-secret')).toBe('pwd=~/work password=[REDACTED password assignment]');
  });
});

describe('serve caps connections and event streams per address', () => {
  afterAll(() => cleanupTempDirs());

  it('a client gets at most maxStreamsPerAddress event streams, and connections past maxConnections are refused until one closes', async () => {
    const remote = await startFleetRemote();
    const store = openStore({ url: remote.httpUrl });
    await store.transact('init', initFleetPlan(), { createBranch: true });
    const assets = tempDir('gitfleet-assets-');
    mkdirSync(assets, { recursive: true });
    writeFileSync(path.join(assets, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(path.join(assets, 'app.js'), 'console.log(1)\n//# sourceMappingURL=app.js.map\n');
    writeFileSync(path.join(assets, 'app.js.map'), '{}');
    const server = new DashboardServer({ store, assetsDir: assets, port: 0, pollMs: 60_000, maxStreamsPerAddress: 2, maxConnections: 3 });
    const { url } = await server.start();
    const port = Number(new URL(url).port);
    const get = (target: string) =>
      rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, 20_000, { halfClose: false });
    const opened: http.ClientRequest[] = [];
    const openStream = () =>
      new Promise<number>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/events', agent: false }, (res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
        });
        req.on('error', reject);
        opened.push(req);
      });
    try {
      expect(rawStatus(await get('/app.js.map'))).toBe(404);
      expect(rawStatus(await get('/app.js'))).toBe(200);
      expect([await openStream(), await openStream()]).toEqual([200, 200]);
      expect(await openStream()).toBe(503);
      // Two streams held, and one more idle socket: the fourth connection is refused.
      const idle = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => idle.once('connect', resolve));
      expect(await waitFor(async () => rawStatus(await get('/')) === 0, 10_000, 200)).toBe(true);
      idle.destroy();
      for (const req of opened) req.destroy();
      expect(await waitFor(async () => rawStatus(await get('/')) === 200, 10_000, 200)).toBe(true);
    } finally {
      for (const req of opened) req.destroy();
      await server.stop();
      await store.close();
      await remote.close();
    }
  });
});
