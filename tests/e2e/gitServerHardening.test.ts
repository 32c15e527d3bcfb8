import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { waitFor } from '../helpers/jobFleet.js';
import { openStore } from '../helpers/openStore.js';
import { rawRequest, rawStatus } from '../helpers/rawHttp.js';
import { seededRandom } from '../helpers/seededRandom.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' };

/** One malformed or hostile request, as raw bytes. */
function fuzzCase(rnd: () => number, port: number): Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
  const paths = [
    () => `/${randomBytes(1 + Math.floor(rnd() * 40)).toString('latin1')}`,
    () =>
      pick([
        '/%',
        '/%zz',
        '/fleet.git/%E0%A4%A',
        '/fleet.git%',
        '/%ff%fe/info/refs',
        '/fleet.git/info/refs?service=%',
        '/%00/x',
        '/fleet.git/%2e%2e/%2e%2e/etc/passwd',
      ]),
    () =>
      pick([
        '/../../etc/passwd',
        '/fleet.git/../fleet.git/info/refs?service=git-upload-pack',
        '/./fleet.git/HEAD',
        '/fleet.git/objects/info/packs',
        '/fleet.git/HEAD',
        '/fleet.git/config',
        '/..%2f..%2fetc/passwd',
        '/fleet.git/info/refs',
      ]),
    () => `/${'a'.repeat(1000 + Math.floor(rnd() * 90_000))}`,
    () =>
      pick([
        '//[',
        '//evil.example/x',
        'http://evil.example/fleet.git/info/refs',
        '*',
        '',
        ' ',
        '/fleet.git/info/refs?service=git-upload-pack&x=1',
        '/fleet.git/git-upload-pack?x',
      ]),
  ];
  const methods = [
    'GET',
    'POST',
    'HEAD',
    'PUT',
    'DELETE',
    'OPTIONS',
    'PROPFIND',
    'CONNECT',
    'TRACE',
    'G E T',
    'get',
    'BREW',
    randomBytes(5).toString('latin1'),
  ];
  const headers = [
    `Host: 127.0.0.1:${port}`,
    'Host: evil.example',
    '',
    `Host: 127.0.0.1:${port}\r\nHost: evil.example`,
    `Host: 127.0.0.1:${port}\r\nContent-Length: -1`,
    `Host: 127.0.0.1:${port}\r\nContent-Length: 99999999999999999999`,
    `Host: 127.0.0.1:${port}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx`,
    `Host: 127.0.0.1:${port}\r\nContent-Type: application/x-git-upload-pack-request\r\nContent-Encoding: gzip\r\nContent-Length: 8\r\n\r\n${randomBytes(8).toString('latin1')}`,
    `Host: 127.0.0.1:${port}\r\nContent-Type: application/x-git-receive-pack-request\r\nContent-Length: 4\r\n\r\n0000`,
    `Host: 127.0.0.1:${port}\r\nAuthorization: Basic ${'A'.repeat(5000)}`,
    `Host: 127.0.0.1:${port}\r\nGit-Protocol: version=2\u0001\r\nExpect: 100-continue`,
    `Host: 127.0.0.1:${port}\r\nOrigin: https://evil.example`,
    `Host: 127.0.0.1:${port}\r\nX-${randomBytes(6).toString('hex')}: ${randomBytes(30).toString('latin1')}`,
  ];
  const header = pick(headers);
  const head = `${pick(methods)} ${pick(paths)()} HTTP/1.1\r\n${header}`;
  return Buffer.from(header.includes('\r\n\r\n') ? head : `${head}\r\n\r\n`, 'latin1');
}

describe("the local fleet's git server (gitfleet start)", () => {
  afterAll(() => cleanupTempDirs());

  it('survives fuzzed request paths, methods and headers and still serves a real clone', async () => {
    const dir = tempDir('gitfleet-fuzz-');
    const child = spawn(process.execPath, [BIN, 'start', '--agents', '0', '--port', '0', '--dashboard-port', '0', '--dir', dir, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    let exited = false;
    child.on('exit', () => (exited = true));
    try {
      expect(await waitFor(() => /"repo": "http:[^"]+"/.test(out), 30_000, 200), out).toBe(true);
      const repo = /"repo": "(http:[^"]+)"/.exec(out)![1]!;
      const port = Number(new URL(repo).port);
      const seed = Number(process.env.GITFLEET_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
      const cases = 240;
      console.log(`git server fuzz: seed ${seed}, ${cases} cases (replay with GITFLEET_FUZZ_SEED=${seed})`);
      const rnd = seededRandom(seed);
      const requests = Array.from({ length: cases }, () => fuzzCase(rnd, port));
      const statuses: number[] = [];
      for (let i = 0; i < requests.length; i += 8) {
        const answers = await Promise.all(requests.slice(i, i + 8).map((r) => rawRequest(port, r)));
        statuses.push(...answers.map(rawStatus));
        expect(exited, `the server process died at case ${i} (seed ${seed})\n${out}`).toBe(false);
      }
      // Nothing hostile was served as a success, whatever it was.
      expect(statuses.filter((s) => s >= 200 && s < 300).length).toBeLessThanOrEqual(cases / 4);
      const work = tempDir('gitfleet-fuzz-clone-');
      await run('git', ['clone', '--quiet', repo, path.join(work, 'clone')], { env: GIT_ENV });
      const log = await run('git', ['-C', path.join(work, 'clone'), 'log', '--oneline'], { env: GIT_ENV });
      expect(log.stdout).toMatch(/init/i);
      expect(exited).toBe(false);
    } finally {
      // Wait for it to stop: its coordinator may still be writing in `dir`, which afterAll removes.
      const stopped = exited ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await stopped;
    }
  }, 180_000);
});

function request(url: string, options: http.RequestOptions & { body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, options, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe.each([
  ['without auth', undefined],
  ['with auth', { username: 'bot', password: 'pw-123456' }],
] as const)('GitHttpServer %s', (_name, auth) => {
  let remote: FleetRemote;
  let pushUrl: string;
  const work = () => tempDir('gitfleet-push-');

  async function cloneAndCommit(): Promise<string> {
    const clone = path.join(work(), 'c');
    await run('git', ['clone', '--quiet', pushUrl, clone], { env: GIT_ENV });
    await run('git', ['-C', clone, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '--quiet', '--allow-empty', '-m', 'hostile'], {
      env: GIT_ENV,
    });
    return clone;
  }

  it('starts', async () => {
    remote = await startFleetRemote(auth ? { auth } : {});
    const u = new URL(remote.httpUrl);
    if (auth) {
      u.username = auth.username;
      u.password = auth.password;
    }
    pushUrl = u.toString();
    await openStore({ url: pushUrl }).transact('init', initFleetPlan(), { createBranch: true });
  });

  afterAll(async () => {
    await remote?.close();
    cleanupTempDirs();
  });

  it('refuses a foreign Host header (DNS rebinding) and accepts the loopback names', async () => {
    const authHeader = auth ? { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
    const refs = `${remote.httpUrl}/info/refs?service=git-upload-pack`;
    for (const host of ['evil.example', 'evil.example:80', `127.0.0.1.evil.example:${remote.server.port}`]) {
      expect((await request(refs, { headers: { Host: host, ...authHeader } })).status, host).toBe(421);
    }
    for (const host of [`127.0.0.1:${remote.server.port}`, `localhost:${remote.server.port}`]) {
      expect((await request(refs, { headers: { Host: host, ...authHeader } })).status, host).toBe(200);
    }
  });

  it('refuses a push under a foreign Host header (git itself, extra Host header)', async () => {
    const clone = await cloneAndCommit();
    const before = remote.head();
    const push = await run('git', ['-C', clone, '-c', 'http.extraHeader=Host: evil.example', 'push', '--quiet', 'origin', 'HEAD:main'], { env: GIT_ENV }).then(
      () => 'pushed',
      (error: Error) => error.message,
    );
    expect(push).not.toBe('pushed');
    expect(remote.head()).toBe(before);
    // The same push under the real Host works, so the refusal was the Host check.
    await run('git', ['-C', clone, 'push', '--quiet', 'origin', 'HEAD:main'], { env: GIT_ENV });
    expect(remote.head()).not.toBe(before);
  });

  it('serves only the smart-HTTP endpoints: no dumb protocol, no other files, no browsers', async () => {
    const base = remote.httpUrl;
    const authHeader = auth ? { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
    for (const p of ['/HEAD', '/config', '/objects/info/packs', '/info/refs', '/info/refs?service=git-upload-archive', '/../fleet.git/HEAD']) {
      const status = (await request(`${base}${p}`, { headers: authHeader })).status;
      expect([400, 404], p).toContain(status);
    }
    expect((await request(`${base}/git-upload-pack`, { method: 'GET', headers: authHeader })).status).toBe(405);
    expect((await request(`${base.replace('fleet.git', 'nope.git')}/info/refs?service=git-upload-pack`, { headers: authHeader })).status).toBe(404);
    expect((await request(`${base}/info/refs?service=git-upload-pack`, { headers: { ...authHeader, Origin: 'https://evil.example' } })).status).toBe(403);
    const port = remote.server.port;
    for (const bad of ['/%', '/fleet.git/%zz/info/refs', '//[']) {
      expect(rawStatus(await rawRequest(port, `GET ${bad} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)), bad).toBeGreaterThanOrEqual(400);
    }
    // A body larger than the cap is refused before git sees it.
    const huge = await request(`${base}/git-receive-pack`, {
      method: 'POST',
      headers: { ...authHeader, 'Content-Type': 'application/x-git-receive-pack-request', 'Content-Length': String(2 * 1024 ** 3) },
    }).catch(() => ({ status: 0, body: '' }));
    expect([413, 0]).toContain(huge.status);
    expect((await request(`${base}/info/refs?service=git-upload-pack`, { headers: authHeader })).status).toBe(200);
  });
});
