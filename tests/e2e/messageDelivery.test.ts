import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/Agent.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeMessage } from '../../src/messages/composeMessage.js';
import { sendMessagePlan } from '../../src/messages/sendMessagePlan.js';
import { simulatedCollector } from '../../src/status/simulatedCollector.js';
import { createLogger } from '../../src/util/logger.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

describe('message delivery: agents pick up, webhooks are notified once', () => {
  let remote: FleetRemote;
  let hook: { server: http.Server; url: string; received: { body: unknown }[]; failNext: number };
  beforeAll(async () => {
    remote = await startFleetRemote();
    const received: { body: unknown }[] = [];
    const state = { failNext: 0 };
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (state.failNext > 0) {
          state.failNext--;
          res.writeHead(500).end();
          return;
        }
        received.push({ body: JSON.parse(body) });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    hook = Object.assign(state, { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received });
    await openStore({ url: remote.httpUrl }).transact(
      'init',
      initFleetPlan({ name: 'test', webhooks: [{ id: 'chat', format: 'slack', events: ['message.critical'] }] }),
      { createBranch: true },
    );
  });
  afterAll(async () => {
    hook.server.close();
    await remote.close();
    cleanupTempDirs();
  });

  it('an agent picks up what is addressed to it (id, label, all) once, logs critical at once, runs its local hook', async () => {
    const dir = tempDir();
    const hookScript = path.join(dir, 'hook.sh');
    const hookOut = path.join(dir, 'hook.out');
    writeFileSync(hookScript, `#!/bin/sh\nprintf '%s|%s|%s\\n' "$1" "$2" "$3" >> ${hookOut}\n`);
    chmodSync(hookScript, 0o755);
    const logs: string[] = [];
    const picked: string[] = [];
    const store = openStore({ url: remote.httpUrl, cacheDir: path.join(dir, 'cache') });
    const agent = new Agent({
      server: 'gpu-07',
      store,
      collector: simulatedCollector('gpu-07'),
      logger: createLogger({ level: 'debug', write: (l) => logs.push(l) }),
      mode: 'simulated',
      stateFile: path.join(dir, 'state.json'),
      remoteUrl: remote.httpUrl,
      labels: ['gpu'],
      onCriticalMessage: [hookScript, '{priority}', '{subject}', '{from}'],
      onMessages: (ms) => void picked.push(...ms.map((m) => m.subject)),
    });
    const critical: { id: string; subject: string }[] = [];
    agent.events.on('message.critical', (m) => critical.push(m));
    await agent.cycle();
    const ops = openStore({ url: remote.httpUrl });
    for (const [to, subject, priority] of [
      ['gpu-07', 'for you', 'normal'],
      ['label:gpu', 'for gpus; $(rm -rf /)', 'critical'],
      ['all', 'for everyone', 'low'],
      ['web-01', 'not for you', 'normal'],
    ] as const) {
      await ops.transact('send', sendMessagePlan(composeMessage({ from: 'op:alice', to, subject, priority }), { force: true }));
    }
    await agent.cycle({ force: true, reason: 'test' });
    // Hooks run off the heartbeat path: wait for them before looking at what they wrote.
    await agent.settleHooks({ all: true });
    expect(picked.sort()).toEqual(['for everyone', 'for gpus; $(rm -rf /)', 'for you']);
    expect(critical.map((m) => m.subject)).toEqual(['for gpus; $(rm -rf /)']);
    // The logger is one subscriber: the same event is an error line.
    expect(logs.filter((l) => l.includes(' error message.critical '))).toHaveLength(1);
    // The hook got the subject as one argument: no shell ever saw it.
    expect(readFileSync(hookOut, 'utf8')).toBe('critical|for gpus; $(rm -rf /)|op:alice\n');
    const receipts = await (await ops.snapshot()).get('receipts', 'gpu-07');
    expect(Object.keys(receipts!.delivered!)).toHaveLength(3);
    await agent.cycle({ force: true, reason: 'again' });
    expect(picked).toHaveLength(3);
    expect(existsSync(hookOut)).toBe(true);
  });

  it('notify posts each critical message once, even with two notifiers at the same time, and retries a failed post', async () => {
    const ops = openStore({ url: remote.httpUrl });
    for (const subject of ['disk full on db-01', 'backup failed']) {
      await ops.transact('send', sendMessagePlan(composeMessage({ from: 'op:alice', to: 'all', subject, priority: 'critical' })));
    }
    const work = tempDir();
    // The destination comes from this machine's config; fleet.json only names the webhook.
    const config = path.join(work, 'gitfleet.config.json');
    writeFileSync(config, JSON.stringify({ notify: { webhooks: { chat: { urlEnv: 'GITFLEET_WEBHOOK_CHAT' } }, allowPrivateNetworks: true } }));
    const env = (i: number) => ({
      GITFLEET_CONFIG: config,
      GITFLEET_REPO: remote.httpUrl,
      GITFLEET_CACHE_DIR: path.join(work, `c${i}`),
      GITFLEET_DATA_DIR: path.join(work, `d${i}`),
      GITFLEET_WEBHOOK_CHAT: hook.url,
    });
    hook.received.length = 0;
    hook.failNext = 1;
    const [a, b] = await Promise.all([runGitfleet(['notify', '--json'], { env: env(1) }), runGitfleet(['notify', '--json'], { env: env(2) })]);
    const reports = [...JSON.parse(a.stdout || '[]'), ...JSON.parse(b.stdout || '[]')] as { sent: string[]; failed: unknown[] }[];
    // Three critical messages so far (one from the agent test). One post fails; whichever
    // notifier claims that event next (the slower of the two, or the third run) sends it.
    expect(reports.flatMap((r) => r.failed)).toEqual([{ key: expect.stringMatching(/^message\.critical:/), error: 'HTTP 500' }]);
    const again = await runGitfleet(['notify', '--json'], { env: env(3) });
    const sent = [...reports.flatMap((r) => r.sent), ...(JSON.parse(again.stdout) as { sent: string[] }[])[0]!.sent];
    expect(sent).toHaveLength(3);
    expect(new Set(sent).size).toBe(3);
    const texts = hook.received.map((r) => (r.body as { text: string }).text).sort();
    expect(texts).toHaveLength(3);
    expect(new Set(texts).size).toBe(3);
    expect(texts.join('\n')).toMatch(/gitfleet test: \[all\] backup failed/);
    const quiet = await runGitfleet(['notify', '--json'], { env: env(4) });
    expect((JSON.parse(quiet.stdout) as { sent: string[] }[])[0]!.sent).toEqual([]);
    expect(hook.received).toHaveLength(3);
    // Without the URL variable nothing is sent, and it says why.
    const missing = await runGitfleet(['notify'], { env: { ...env(5), GITFLEET_WEBHOOK_CHAT: '' } });
    expect(missing.stdout).toMatch(/chat: skipped \(no URL: set the environment variable GITFLEET_WEBHOOK_CHAT\)/);
  }, 120_000);
});
