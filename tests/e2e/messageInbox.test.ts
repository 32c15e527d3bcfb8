import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors/exitCodes.js';
import type { Message, ReadReceipts } from '../../src/schema/types.js';
import { type FleetRemote, headOf, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { fileAt } from '../helpers/removeFiles.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

/** Issue 13 items 3, 6 and 8: phantom readers, stdin that never ends, the operator inbox (real processes). */
describe('msg: readers that exist, stdin that never ends, the operator inbox', () => {
  let remote: FleetRemote;
  let env: Record<string, string>;
  // A hang is a failure: every run is killed after a generous minute.
  const gf = (args: string[], options: { input?: string; stdin?: 'open'; extra?: Record<string, string> } = {}) =>
    runGitfleet(args, {
      env: { ...env, ...(options.input === undefined && options.stdin !== 'open' ? { GITFLEET_NO_STDIN: '1' } : {}), ...options.extra },
      ...(options.input !== undefined ? { input: options.input } : {}),
      timeoutMs: 60_000,
    });
  const json = async <T>(args: string[], extra: Record<string, string> = {}) => {
    const out = await gf([...args, '--json'], { extra });
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as T;
  };
  const receipts = (file: string) => {
    const text = fileAt(remote.bareDir, `messages/receipts/${file}.json`);
    return text === null ? null : (JSON.parse(text.toString()) as ReadReceipts);
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
    expect((await gf(['init'])).code).toBe(0);
    const now = new Date().toISOString();
    const status = (server: string) => JSON.stringify({ schemaVersion: 1, server, updatedAt: now, seq: 1, health: { state: 'healthy' }, labels: ['web'] });
    plantFiles(remote.bareDir, { 'status/web-01.json': status('web-01'), 'status/web-02.json': status('web-02') });
  }, 60_000);
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('msg read and ack for a server that never reported are refused, and write nothing', { timeout: 180_000 }, async () => {
    const sent = await json<{ message: Message }>(['msg', 'send', '--to', 'all', '--subject', 'Hello fleet']);
    const head = headOf(remote.bareDir);
    for (const command of ['read', 'ack']) {
      const out = await gf(['msg', command, sent.message.id, '--server', 'ghost-01']);
      expect(out.code, out.stderr).toBe(EXIT_CODES.E_NOT_FOUND);
      expect(out.stderr).toMatch(/^gitfleet: unknown server ghost-01: no server with that id has reported; nothing was marked/);
    }
    expect(headOf(remote.bareDir)).toBe(head);
    expect(receipts('ghost-01')).toBeNull();
    // A server that has reported still marks.
    expect((await gf(['msg', 'read', sent.message.id, '--server', 'web-01'])).code).toBe(0);
    expect(Object.keys(receipts('web-01')!.read)).toEqual([sent.message.id]);
  });

  it('msg send with an open stdin that never ends does not hang: it sends without a body and says why', { timeout: 180_000 }, async () => {
    const out = await gf(['msg', 'send', '--to', 'web-01', '--subject', 'No body', '--json'], { stdin: 'open' });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/stdin is open but sent nothing within 1 s: sending without a body \(pass --body-file - to wait for stdin\)/);
    const sent = JSON.parse(out.stdout) as { message: Message };
    expect(sent.message.body).toBeUndefined();
  });

  it('a pipe that ends is read, with a notice; --body-file - reads it when asked', { timeout: 180_000 }, async () => {
    const piped = await gf(['msg', 'send', '--to', 'web-01', '--subject', 'Piped', '--json'], { input: 'from a pipe\n' });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toMatch(/the body was read from stdin \(12 bytes\)/);
    expect((JSON.parse(piped.stdout) as { message: Message }).message.body).toBe('from a pipe\n');
    const asked = await gf(['msg', 'send', '--to', 'web-01', '--subject', 'Asked', '--body-file', '-', '--json'], { input: 'asked for\n' });
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stderr).toBe('');
    expect((JSON.parse(asked.stdout) as { message: Message }).message.body).toBe('asked for\n');
  });

  it('replies to op:alice land in msg list --mine, unread first; alice reads and acknowledges as herself', { timeout: 240_000 }, async () => {
    const asked = await json<{ message: Message }>(['msg', 'send', '--to', 'label:web', '--subject', 'Drain please']);
    const asWeb = (server: string, body: string) =>
      json<{ message: Message }>(['msg', 'reply', asked.message.id, '--server', server, '--as-server', '--body', body]);
    const first = (await asWeb('web-01', 'Drained.')).message;
    const second = (await asWeb('web-02', 'Drained too.')).message;
    // A message to bob is not alice's.
    await json(['msg', 'send', '--to', 'op:bob', '--subject', 'For bob', '--body', 'x'], { GITFLEET_OPERATOR: 'carol' });

    const inbox = await json<(Message & { read: string | null })[]>(['msg', 'list', '--mine']);
    expect(inbox.map((m) => [m.id, m.read])).toEqual([
      [second.id, null],
      [first.id, null],
    ]);

    // Reading as alice: recorded in messages/receipts/op.alice.json; the read one goes after the unread one.
    const read = await gf(['msg', 'read', first.id]);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toMatch(/\nread: {6}op:alice \(\d+s ago\)\n/);
    expect(receipts('op.alice')).toMatchObject({ server: 'op:alice', read: { [first.id]: expect.any(String) } });
    const after = await json<(Message & { read: string | null })[]>(['msg', 'list', '--mine']);
    expect(after.map((m) => m.id)).toEqual([second.id, first.id]);
    expect(after[1]!.read).toEqual(expect.any(String));
    expect((await json<Message[]>(['msg', 'list', '--mine', '--unread'])).map((m) => m.id)).toEqual([second.id]);
    const text = await gf(['msg', 'list', '--mine']);
    expect(text.stdout).toMatch(/1 unread \(\*\)/);

    expect(await json(['msg', 'ack', second.id])).toEqual({ server: 'op:alice', acked: [second.id] });
    expect(receipts('op.alice')!.acked).toEqual({ [second.id]: expect.any(String) });

    // msg show marks nothing and says who has had it delivered, read and acknowledged.
    const head = headOf(remote.bareDir);
    const shown = await json<Message & { receipts: { delivered: { by: string }[]; read: { by: string }[]; acked: { by: string }[]; waiting: string[] } }>([
      'msg',
      'show',
      second.id,
    ]);
    expect(shown.receipts).toMatchObject({ read: [{ by: 'op:alice' }], acked: [{ by: 'op:alice' }], waiting: [] });
    await gf(['msg', 'read', asked.message.id, '--server', 'web-02']);
    const original = await json<typeof shown>(['msg', 'show', asked.message.id]);
    expect(original.receipts).toMatchObject({ read: [{ by: 'web-02' }], acked: [], waiting: ['web-01'] });
    expect(headOf(remote.bareDir)).not.toBe(head);
    const showText = await gf(['msg', 'show', asked.message.id]);
    expect(showText.stdout).toMatch(/\ndelivered: web-02 \(\d+s ago\)\nread: {6}web-02 \(\d+s ago\)\nacked: {5}nobody yet\nwaiting: {3}web-01\n/);

    // Both the CLI's validation and the schema accept the operator's receipts file.
    const valid = await gf(['validate']);
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
  });

  it('every msg command honours --json', { timeout: 240_000 }, async () => {
    const { message } = await json<{ message: Message }>(['msg', 'send', '--to', 'web-01', '--subject', 'Json check', '--body', 'searchable']);
    const runs: string[][] = [
      ['msg', 'list'],
      ['msg', 'list', '--mine'],
      ['msg', 'search', 'searchable'],
      ['msg', 'read', message.id],
      ['msg', 'show', message.id],
      ['msg', 'thread', message.id],
      ['msg', 'ack', message.id, '--server', 'web-01'],
      ['msg', 'reply', message.id, '--body', 'ok'],
      ['msg', 'archive', '--older-than', '30d'],
    ];
    for (const args of runs) {
      const out = await gf([...args, '--json']);
      expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(0);
      expect(() => JSON.parse(out.stdout), args.join(' ')).not.toThrow();
    }
  });

  it('every msg command describes each option and positional, and shows an example', { timeout: 240_000 }, async () => {
    for (const command of ['send', 'list', 'read', 'show', 'reply', 'thread', 'search', 'ack', 'archive']) {
      const help = await gf(['msg', command, '--help']);
      expect(help.code, help.stderr).toBe(0);
      expect(help.stdout, command).toMatch(/\nExamples:\n {2}gitfleet msg /);
      const section = help.stdout.split('\nExamples:')[0]!;
      // An option line without a description goes straight from the name to its [type].
      const bare = section.split('\n').filter((line) => /^\s+(-\w, )?(--)?[\w-]+\s+\[/.test(line) && !/^\s{20,}\[/.test(line));
      expect(bare, command).toEqual([]);
    }
  });
});
