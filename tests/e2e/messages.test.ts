import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import type { Message } from '../../src/schema/types.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { SECRET_SAMPLES } from '../fixtures/secretsCorpus.js';
import { type FleetRemote, headOf, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

describe('gitfleet msg', () => {
  let remote: FleetRemote;
  let env: Record<string, string>;
  const gf = (args: string[], input?: string, extra: Record<string, string> = {}) =>
    runGitfleet(args, { env: { ...env, ...(input === undefined ? { GITFLEET_NO_STDIN: '1' } : {}), ...extra }, ...(input !== undefined ? { input } : {}) });
  const json = async <T>(args: string[]) => {
    const out = await gf([...args, '--json']);
    if (out.code !== 0) throw new Error(out.stderr);
    return JSON.parse(out.stdout) as T;
  };

  beforeAll(async () => {
    remote = await startFleetRemote();
    const work = tempDir();
    env = {
      GITFLEET_REPO: remote.httpUrl,
      GITFLEET_CACHE_DIR: path.join(work, 'cache'),
      GITFLEET_DATA_DIR: path.join(work, 'data'),
      GITFLEET_OPERATOR: 'alice',
    };
    const store = openStore({ url: remote.httpUrl });
    await store.transact('init', initFleetPlan(), { createBranch: true });
    // Three servers that have reported, with labels.
    await store.transact('servers', () => {
      const c = new ChangeSet();
      for (const [server, labels] of [
        ['web-01', ['web']],
        ['web-02', ['web']],
        ['gpu-01', ['gpu']],
      ] as const) {
        c.put('status', { schemaVersion: 1, server, updatedAt: new Date().toISOString(), seq: 1, health: { state: 'healthy' }, labels: [...labels] });
      }
      return c;
    });
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('send, inbox, read (receipt), reply, thread, search, ack', { timeout: 240_000 }, async () => {
    const sent = await json<{ message: Message }>([
      'msg',
      'send',
      '--to',
      'label:web',
      '--subject',
      'Deploy at 14:00',
      '--body',
      'Drain first.',
      '--priority',
      'high',
      '--tag',
      'deploy',
    ]);
    expect(sent.message).toMatchObject({ from: 'op:alice', to: 'label:web', priority: 'high', tags: ['deploy'] });
    await gf(['msg', 'send', '--to', 'gpu-01', '--subject', 'Driver update'], 'from stdin\n');
    await gf(['msg', 'send', '--to', 'all', '--subject', 'Fleet-wide notice', '--priority', 'critical', '--body', 'Maintenance tonight']);
    const inbox = await json<Message[]>(['msg', 'list', '--server', 'web-01']);
    expect(inbox.map((m) => m.subject)).toEqual(['Fleet-wide notice', 'Deploy at 14:00']);
    expect((await json<Message[]>(['msg', 'list', '--server', 'gpu-01'])).map((m) => m.subject)).toEqual(['Fleet-wide notice', 'Driver update']);
    expect((await json<Message[]>(['msg', 'list', '--server', 'gpu-01', '--priority', 'normal']))[0]!.body).toBe('from stdin\n');
    // Reading records web-01's receipt; the message is no longer unread for web-01 only.
    const read = await gf(['msg', 'read', sent.message.id.slice(0, 10), '--server', 'web-01']);
    expect(read.stdout).toMatch(/subject: {2}Deploy at 14:00\n\nDrain first\./);
    expect((await json<Message[]>(['msg', 'list', '--server', 'web-01', '--unread'])).map((m) => m.subject)).toEqual(['Fleet-wide notice']);
    expect(await json<Message[]>(['msg', 'list', '--server', 'web-02', '--unread'])).toHaveLength(2);
    // web-01 replies to the operator; the thread shows both.
    const reply = await json<{ message: Message }>(['msg', 'reply', sent.message.id, '--server', 'web-01', '--as-server', '--body', 'Drained.']);
    expect(reply.message).toMatchObject({ from: 'web-01', to: 'op:alice', subject: 'Re: Deploy at 14:00', thread: sent.message.id, replyTo: sent.message.id });
    expect((await json<Message[]>(['msg', 'thread', reply.message.id])).map((m) => m.id)).toEqual([sent.message.id, reply.message.id]);
    expect((await json<Message[]>(['msg', 'search', 'MAINTENANCE'])).map((m) => m.subject)).toEqual(['Fleet-wide notice']);
    expect(await json<Message[]>(['msg', 'search', 'drain', '--from', 'web-01'])).toHaveLength(1);
    expect(await json<{ acked: string[] }>(['msg', 'ack', sent.message.id, '--server', 'web-02'])).toMatchObject({ acked: [sent.message.id] });
    const receipts = await (await openStore({ url: remote.httpUrl }).snapshot()).get('receipts', 'web-02');
    expect(Object.keys(receipts!.acked!)).toEqual([sent.message.id]);
    expect(Object.keys(receipts!.read)).toEqual([sent.message.id]);
  });

  it('archive moves expired and old messages; their threads stay readable', { timeout: 120_000 }, async () => {
    const first = await json<{ message: Message }>(['msg', 'send', '--to', 'web-02', '--subject', 'Short-lived', '--expires', '1s']);
    await gf(['msg', 'reply', first.message.id, '--as-server', '--server', 'web-02', '--body', 'ok']);
    // Until its expiry has passed (the reply usually took longer than that already).
    const expiresIn = Date.parse(first.message.expiresAt!) - Date.now();
    if (expiresIn >= 0) await new Promise((r) => setTimeout(r, expiresIn + 1));
    expect((await json<Message[]>(['msg', 'list', '--to', 'web-02'])).map((m) => m.subject)).not.toContain('Short-lived');
    expect(await json<{ moved: number }>(['msg', 'archive', '--older-than', '30d'])).toEqual({ moved: 1 });
    const archived = await json<Message[]>(['msg', 'list', '--archived']);
    expect(archived.map((m) => m.subject)).toEqual(['Short-lived']);
    const snap = await openStore({ url: remote.httpUrl }).snapshot();
    expect(await snap.paths('messages')).toContain(`messages/archive/${first.message.createdAt.slice(0, 7)}/${first.message.id}.json`);
    expect(await json<Message[]>(['msg', 'thread', first.message.id])).toHaveLength(2);
    expect((await json<{ moved: number }>(['msg', 'archive'])).moved).toBe(0);
  });

  it('refuses bad input with a clear error and writes nothing', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'binary.bin'), randomBytes(4096));
    writeFileSync(path.join(dir, 'latin1.txt'), Buffer.from([0x48, 0xe9, 0x6c, 0x6c, 0x6f, 0x0a]));
    const before = headOf(remote.bareDir);
    const cases: [string[], string | undefined, number, RegExp][] = [
      [['msg', 'send', '--to', 'web-01', '--subject', 'big'], 'x'.repeat(10 * 1024 * 1024), 2, /the body is larger than 256 KiB/],
      [['msg', 'send', '--to', 'web-01', '--subject', 'bin', '--body-file', path.join(dir, 'binary.bin')], undefined, 2, /looks binary|not valid UTF-8/],
      [['msg', 'send', '--to', 'web-01', '--subject', 'enc', '--body-file', path.join(dir, 'latin1.txt')], undefined, 2, /not valid UTF-8/],
      [['msg', 'send', '--to', 'web-01', '--subject', 'esc\u001b[31mred'], undefined, 2, /the subject contains a control character \(U\+001b/],
      [['msg', 'send', '--to', 'web-99', '--subject', 'hello'], undefined, 6, /unknown recipient web-99/],
      [['msg', 'send', '--to', 'label:nobody', '--subject', 'hello'], undefined, 6, /no server has the label nobody/],
      [['msg', 'send', '--to', '../x', '--subject', 'hello'], undefined, 2, /recipient "..\/x" is not valid/],
      [['msg', 'reply', '01jbzzzzzzzzzzzzzzzzzzzzzz', '--body', 'hi'], undefined, 6, /no message 01jbzzzz/],
      [
        ['msg', 'send', '--to', 'web-01', '--subject', 'creds', '--body', SECRET_SAMPLES[0]!.text],
        undefined,
        3,
        /refusing to send: body line 2 looks like a private key/,
      ],
      [['msg', 'send', '--to', 'web-01'], undefined, 2, /missing --subject; see gitfleet msg send --help/],
    ];
    for (const [args, input, code, message] of cases) {
      const out = await gf(args, input);
      expect({ args: args.slice(0, 3), code: out.code }).toEqual({ args: args.slice(0, 3), code });
      expect(out.stderr).toMatch(message);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(headOf(remote.bareDir)).toBe(before);
    const allowed = await json<{ message: Message }>([
      'msg',
      'send',
      '--to',
      'web-01',
      '--subject',
      'creds',
      '--body',
      SECRET_SAMPLES[5]!.text,
      '--allow-secret',
    ]);
    expect(allowed.message.secretOverride).toBe(true);
  });
});
