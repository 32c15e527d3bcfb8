import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import { composeMessage } from '../../src/messages/composeMessage.js';
import { sendMessagePlan } from '../../src/messages/sendMessagePlan.js';
import type { FleetSettings, LocalConfig, ServerStatus } from '../../src/schema/types.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import type { Store } from '../../src/store/Store.js';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');
const REPLY = 'REPLY-TEXT-FROM-THE-REMOTE-HOST';

interface Seen {
  path: string;
  closed: boolean;
}

/** A webhook listener on a loopback address: answers 200, 500, a redirect, or never. */
class Listener {
  readonly seen: Seen[] = [];
  readonly #sockets = new Set<import('node:net').Socket>();
  private constructor(readonly server: http.Server) {}

  static async start(host: string): Promise<Listener | null> {
    let self: Listener;
    const server = http.createServer((req, res) => {
      const entry: Seen = { path: req.url ?? '', closed: false };
      self.seen.push(entry);
      res.on('close', () => (entry.closed = true));
      req.resume();
      req.on('end', () => {
        if (entry.path.startsWith('/hang')) return;
        if (entry.path.startsWith('/fail')) res.writeHead(500, `Internal ${REPLY}`).end(`${REPLY} stack trace`);
        else if (entry.path.startsWith('/redirect'))
          res.writeHead(302, { location: `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}/followed` }).end(REPLY);
        else res.writeHead(200).end(`${REPLY} ok`);
      });
    });
    self = new Listener(server);
    server.on('connection', (s) => {
      self.#sockets.add(s);
      s.on('close', () => self.#sockets.delete(s));
    });
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(0, host, () => resolve(true));
    });
    return listening ? self : null;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): void {
    for (const s of this.#sockets) s.destroy();
    this.server.close();
  }
}

const status = (server: string): ServerStatus => ({
  schemaVersion: 1,
  server,
  updatedAt: new Date().toISOString(),
  seq: 1,
  health: { state: 'healthy' },
  heartbeat: { periodSeconds: 60 },
  jobs: { slots: 4, kinds: ['build'], running: [] },
});

/** A remote with one healthy server and one critical message (an event every webhook subscribes to). */
async function fleetWith(webhooks: FleetSettings['webhooks']): Promise<{ remote: FleetRemote; store: Store }> {
  const remote = await startFleetRemote();
  const store = openStore({ url: remote.httpUrl, actor: 'op:test' });
  const settings: Partial<FleetSettings> = {
    name: 'hooks',
    heartbeat: { periodSeconds: 60 },
    coordinator: { leaseSeconds: 5, tickSeconds: 1 },
    pushBudget: { pushesPerMinute: 6000 },
    ...(webhooks ? { webhooks } : {}),
  };
  await store.transact('init', initFleetPlan(settings), { createBranch: true });
  await store.transact('server', () => new ChangeSet().put('status', status('worker-1')));
  await store.transact('send', sendMessagePlan(composeMessage({ from: 'op:alice', to: 'all', subject: 'disk full', priority: 'critical' })));
  return { remote, store };
}

function configFile(remote: FleetRemote, notify: LocalConfig['notify']): string {
  const dir = tempDir();
  const file = path.join(dir, 'gitfleet.config.json');
  writeFileSync(
    file,
    JSON.stringify({ repo: remote.httpUrl, cacheDir: path.join(dir, 'cache'), dataDir: path.join(dir, 'data'), log: { level: 'debug' }, notify }),
  );
  return file;
}

const show = (remote: FleetRemote, file: string) => execFileSync('git', ['--git-dir', remote.bareDir, 'show', `main:${file}`], { encoding: 'utf8' });
const subjects = (remote: FleetRemote) =>
  execFileSync('git', ['--git-dir', remote.bareDir, 'log', '--reverse', '--format=%s', 'main'], { encoding: 'utf8' }).trim().split('\n');

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, boundMs = 90_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('webhook destinations come from the local config, never from the repository', () => {
  const listeners: Listener[] = [];
  const remotes: FleetRemote[] = [];
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
    for (const l of listeners.splice(0)) l.close();
    for (const r of remotes.splice(0)) await r.close();
  });
  afterAll(() => cleanupTempDirs());

  it('a fleet.json webhook on loopback in any spelling, or naming a variable outside GITFLEET_WEBHOOK_*, is never contacted', async () => {
    const v4 = (await Listener.start('127.0.0.1'))!;
    const v6 = await Listener.start('::1');
    listeners.push(v4, ...(v6 ? [v6] : []));
    const p = v4.port;
    const { remote } = await fleetWith([
      { id: 'plain', url: `http://127.0.0.1:${p}/plain` },
      { id: 'hex', url: `http://0x7f000001:${p}/hex` },
      { id: 'decimal', url: `http://2130706433:${p}/decimal` },
      { id: 'octal', url: `http://0177.0.0.1:${p}/octal` },
      { id: 'mapped', url: `http://[::ffff:127.0.0.1]:${p}/mapped` },
      { id: 'name', url: `http://localhost:${p}/name` },
      ...(v6 ? [{ id: 'six', url: `http://[::1]:${v6.port}/six` }] : []),
      { id: 'token', urlEnv: 'GITFLEET_TOKEN' },
      { id: 'home', urlEnv: 'HOME' },
      { id: 'unlisted', url: `http://127.0.0.2:${p}/unlisted` },
    ]);
    remotes.push(remote);
    // Hosts allowed, private networks not: every address check must still refuse.
    const config = configFile(remote, { allowHosts: ['127.0.0.1', 'localhost', '[::1]', '[::ffff:7f00:1]'] });
    const env = { GITFLEET_CONFIG: config, GITFLEET_TOKEN: `http://127.0.0.1:${p}/token`, HOME: `http://127.0.0.1:${p}/home` };
    const run = await runGitfleet(['notify', '--json'], { env });
    expect(run.stderr).not.toMatch(/ (warn|error) /);
    expect(run.code).toBe(0);
    const reasons = Object.fromEntries((JSON.parse(run.stdout) as { webhook: string; skipped?: string }[]).map((r) => [r.webhook, r.skipped]));
    for (const id of ['plain', 'hex', 'decimal', 'octal'])
      expect(reasons[id]).toMatch(/^destination 127\.0\.0\.1 is a loopback address, refused \(set notify\.allowPrivateNetworks/);
    expect(reasons.mapped).toMatch(/^destination ::ffff:7f00:1 is a loopback address, refused/);
    expect(reasons.name).toMatch(/^destination localhost \((127\.0\.0\.1|::1)\) is a loopback address, refused/);
    if (v6) expect(reasons.six).toMatch(/^destination ::1 is a loopback address, refused/);
    expect(reasons.token).toMatch(/names the environment variable GITFLEET_TOKEN; only GITFLEET_WEBHOOK_\* variables are read/);
    expect(reasons.home).toMatch(/names the environment variable HOME; only GITFLEET_WEBHOOK_\* variables are read/);
    expect(reasons.unlisted).toMatch(/^no destination for webhook unlisted in this machine's config/);

    // The coordinator's own rounds follow the same rules.
    const tick = await runGitfleet(['coordinator', '--once'], { env });
    expect(tick.code).toBe(0);
    expect(v4.seen).toEqual([]);
    expect(v6?.seen ?? []).toEqual([]);
    // Nothing was claimed, so nothing about these webhooks was committed.
    expect(subjects(remote).filter((s) => s.startsWith('notify'))).toEqual([]);
  });

  it("a destination in this machine's config on loopback needs allowPrivateNetworks; no redirect is followed and no reply text is committed", async () => {
    const hook = (await Listener.start('127.0.0.1'))!;
    listeners.push(hook);
    const { remote } = await fleetWith([
      { id: 'ok', format: 'generic', events: ['message.critical'] },
      { id: 'bad', format: 'generic', events: ['message.critical'] },
      { id: 'moved', events: ['message.critical'] },
    ]);
    remotes.push(remote);
    const base = `http://127.0.0.1:${hook.port}`;
    const webhooks = { ok: { url: `${base}/ok` }, bad: { urlEnv: 'GITFLEET_WEBHOOK_BAD' }, moved: { url: `${base}/redirect` } };
    const env = { GITFLEET_WEBHOOK_BAD: `${base}/fail` };

    const closed = await runGitfleet(['notify', '--json'], { env: { ...env, GITFLEET_CONFIG: configFile(remote, { webhooks }) } });
    expect(closed.code).toBe(0);
    for (const r of JSON.parse(closed.stdout) as { skipped?: string }[]) expect(r.skipped).toMatch(/^destination 127\.0\.0\.1 is a loopback address, refused/);
    expect(hook.seen).toEqual([]);

    const open = await runGitfleet(['notify', '--json'], { env: { ...env, GITFLEET_CONFIG: configFile(remote, { webhooks, allowPrivateNetworks: true }) } });
    expect(open.code).toBe(5);
    const reports = Object.fromEntries(
      (JSON.parse(open.stdout) as { webhook: string; sent: string[]; failed: { error: string }[] }[]).map((r) => [r.webhook, r]),
    );
    expect(reports.ok!.sent).toHaveLength(1);
    expect(reports.bad!.failed).toEqual([{ key: expect.stringMatching(/^message\.critical:/), error: 'HTTP 500' }]);
    expect(reports.moved!.failed).toEqual([{ key: expect.stringMatching(/^message\.critical:/), error: 'redirect' }]);
    expect(hook.seen.map((s) => s.path).sort()).toEqual(['/fail', '/ok', '/redirect']);

    const records = ['ok', 'bad', 'moved'].map((id) => show(remote, `messages/notifications/${id}.json`));
    expect(records.join('\n')).not.toContain(REPLY);
    expect(records.join('\n')).not.toContain('127.0.0.1');
    const deliveries = records.map((text) => Object.values((JSON.parse(text) as { events: Record<string, unknown> }).events)[0]);
    expect(deliveries.map((d) => ({ ...(d as object), at: undefined, by: undefined }))).toEqual([
      { state: 'sent', attempts: 1, status: 200, at: undefined, by: undefined },
      { state: 'failed', attempts: 1, status: 500, error: 'HTTP 500', at: undefined, by: undefined },
      { state: 'failed', attempts: 1, status: 302, error: 'redirect', at: undefined, by: undefined },
    ]);
  });

  it("a webhook that never answers does not hold up the daemon's assignments or lease renewals", async () => {
    const hook = (await Listener.start('127.0.0.1'))!;
    listeners.push(hook);
    const { remote, store } = await fleetWith([{ id: 'silent', events: ['message.critical'] }]);
    remotes.push(remote);
    // Posts may hang for minutes: only the ordering of events below decides the test.
    const config = configFile(remote, {
      webhooks: { silent: { url: `http://127.0.0.1:${hook.port}/hang` } },
      allowPrivateNetworks: true,
      timeoutSeconds: 300,
      roundSeconds: 600,
    });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GITFLEET_')) env[k] = v;
    const child = spawn(process.execPath, [BIN, 'coordinator', '--config', config, '--name', 'coord-a'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let log = '';
    child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const posted = await until('the webhook to be called', () => hook.seen[0]);
    const leaseThen = (await (await store.snapshot()).get('coordinator'))!;
    const job = composeJob({ kind: 'build', createdBy: 'op:test' });
    await store.transact('submit', () => new ChangeSet().put('job', job));
    await until('the job to be assigned', async () => ((await (await store.snapshot()).get('job', job.id))?.state === 'assigned' ? true : undefined));
    await until('the lease to be renewed', async () => ((await (await store.snapshot()).get('coordinator'))!.tick! > leaseThen.tick! ? true : undefined));
    // Assigned and renewed while the post was still waiting for its answer.
    expect(posted.closed).toBe(false);
    expect(hook.seen).toHaveLength(1);

    // Stopping ends the round; the claim is recorded as failed, not left to expire.
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(posted.closed).toBe(true);
    const record = show(remote, 'messages/notifications/silent.json');
    expect(Object.values((JSON.parse(record) as { events: Record<string, { state: string; error?: string }> }).events)).toEqual([
      expect.objectContaining({ state: 'failed', error: 'aborted' }),
    ]);
    expect(log).not.toContain(REPLY);
  });

  it('coordinator --once commits its assignment and lease before the notification round, which ends at its bound', async () => {
    const hook = (await Listener.start('127.0.0.1'))!;
    listeners.push(hook);
    const { remote, store } = await fleetWith([{ id: 'silent', events: ['message.critical'] }]);
    remotes.push(remote);
    const job = composeJob({ kind: 'build', createdBy: 'op:test' });
    await store.transact('submit', () => new ChangeSet().put('job', job));
    const config = configFile(remote, {
      webhooks: { silent: { url: `http://127.0.0.1:${hook.port}/hang` } },
      allowPrivateNetworks: true,
      timeoutSeconds: 300,
      roundSeconds: 2,
    });
    const run = await runGitfleet(['coordinator', '--once', '--json', '--name', 'coord-b'], { env: { GITFLEET_CONFIG: config } });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { decisions: { assign: number } }).decisions.assign).toBe(1);
    expect(hook.seen).toHaveLength(1);
    const log = subjects(remote);
    const assigned = log.findIndex((s) => /^coordinator coord-b: .*assign 1/.test(s));
    const claimed = log.findIndex((s) => s.startsWith('notify: claim 1'));
    const recorded = log.findIndex((s) => s.startsWith('notify: 0 sent'));
    expect(assigned).toBeGreaterThan(-1);
    expect(claimed).toBeGreaterThan(assigned);
    expect(recorded).toBeGreaterThan(claimed);
    const record = JSON.parse(show(remote, 'messages/notifications/silent.json')) as { events: Record<string, object> };
    expect(Object.values(record.events)).toEqual([{ state: 'failed', at: expect.any(String), attempts: 1, by: 'coord-b', error: 'timeout' }]);
  });
  it('a notifications record it cannot read is reported and left alone, never replaced', async () => {
    const hook = (await Listener.start('127.0.0.1'))!;
    listeners.push(hook);
    const { remote } = await fleetWith([{ id: 'chat', events: ['message.critical'] }]);
    remotes.push(remote);
    const damaged = '{"schemaVersion": 1, "webhook": "chat", "events": {"message.critical:x": {"state": "sent"';
    plantFiles(remote.bareDir, { 'messages/notifications/chat.json': damaged });
    const config = configFile(remote, { webhooks: { chat: { url: `http://127.0.0.1:${hook.port}/ok` } }, allowPrivateNetworks: true });
    const run = await runGitfleet(['notify', '--json'], { env: { GITFLEET_CONFIG: config } });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { skipped?: string }[])[0]!.skipped).toMatch(/^messages\/notifications\/chat\.json is invalid \(.*\); fix or delete it/);
    expect(show(remote, 'messages/notifications/chat.json')).toBe(damaged);
    expect(hook.seen).toEqual([]);
  });
});
