import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headOf, plantFiles } from '../../../tests/helpers/fleetRemote.js';
import { cleanupTempDirs, tempDir } from '../../../tests/helpers/tempDir.js';
import { parseRemote } from '../RemoteSpec.js';
import { GitHttpServer } from './GitHttpServer.js';
import { OUTBOX_PREFIX, RelayParentLink } from './RelayParentLink.js';
import { RelayRepository } from './RelayRepository.js';

const TOKEN = 'parent-site-token';
const bytes = (text: string) => new TextEncoder().encode(text);
const refOf = (dir: string, ref: string) => {
  try {
    return execFileSync('git', ['--git-dir', dir, 'rev-parse', '--verify', '--quiet', ref], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};

/** A parent relay's repository served with its site token, and a child's repository linked to it. */
describe('RelayParentLink', () => {
  let server: GitHttpServer;
  let parent: RelayRepository;
  let child: RelayRepository;
  let link: RelayParentLink;

  beforeAll(async () => {
    const parentRoot = tempDir('gitfleet-parent-relay-');
    parent = new RelayRepository(path.join(parentRoot, 'fleet.git'));
    await parent.prepare();
    // The parent's mirror: what its own period would have fetched from the upstream.
    plantFiles(parent.dir, { 'fleet.json': '{"schemaVersion":1,"name":"chain"}\n' });
    server = await new GitHttpServer({ projectRoot: parentRoot, auth: { username: 'gitfleet-relay', password: TOKEN } }).start();
    child = new RelayRepository(path.join(tempDir('gitfleet-child-relay-'), 'fleet.git'));
    await child.prepare();
    link = new RelayParentLink(child.dir, parseRemote(`${server.url}/fleet.git`, TOKEN, 'gitfleet-relay'));
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    cleanupTempDirs();
  });

  it("forwards many servers' records in one push, each as the only file of its own inbox ref, byte for byte", async () => {
    const items = ['s1', 's2', 's3'].map((server) => ({ server, content: bytes(`{"server":"${server}","seq":1}`) }));
    expect(await link.forward(items)).toBe(1);
    const inbox = await parent.readInbox(16 * 1024);
    expect(inbox.map((e) => e.server).sort()).toEqual(['s1', 's2', 's3']);
    for (const entry of inbox) expect(new TextDecoder().decode(entry.content!)).toBe(`{"server":"${entry.server}","seq":1}`);
    const files = execFileSync('git', ['--git-dir', parent.dir, 'ls-tree', '-r', '--name-only', 'refs/relay/inbox/s2'], { encoding: 'utf8' });
    expect(files.trim()).toBe('status/s2.json');
  });

  it('replaces a newer record over the old one (a forced update) and re-sends the same record as the same commit', async () => {
    const before = refOf(parent.dir, 'refs/relay/inbox/s1');
    await link.forward([{ server: 's1', content: bytes('{"server":"s1","seq":1}') }]);
    expect(refOf(parent.dir, 'refs/relay/inbox/s1')).toBe(before);
    await link.forward([{ server: 's1', content: bytes('{"server":"s1","seq":2}') }]);
    const after = refOf(parent.dir, 'refs/relay/inbox/s1');
    expect(after).not.toBe(before);
    expect(refOf(child.dir, `${OUTBOX_PREFIX}s1`)).toBe(after);
  });

  it("mirrors the parent's main into the child's", async () => {
    expect(await link.refreshMirror()).toBe(headOf(parent.dir));
    expect(headOf(child.dir)).toBe(headOf(parent.dir));
    plantFiles(parent.dir, { 'fleet.json': '{"schemaVersion":1,"name":"chain2"}\n' });
    expect(await link.refreshMirror()).toBe(headOf(parent.dir));
  });

  it('refuses a name that is not a server id before anything is sent', async () => {
    await expect(link.forward([{ server: '../main', content: bytes('{}') }])).rejects.toThrow(/not a server id/);
  });

  it('fails with the wrong token, and as unreachable when the parent is down', async () => {
    const wrong = new RelayParentLink(child.dir, parseRemote(`${server.url}/fleet.git`, 'not-the-token', 'gitfleet-relay'));
    await expect(wrong.forward([{ server: 's9', content: bytes('{}') }])).rejects.toMatchObject({ code: 'E_GIT' });
    const down = new RelayParentLink(child.dir, parseRemote('http://127.0.0.1:9/fleet.git', TOKEN, 'gitfleet-relay'));
    await expect(down.refreshMirror()).rejects.toMatchObject({ code: 'E_UNREACHABLE' });
    expect(refOf(parent.dir, 'refs/relay/inbox/s9')).toBeNull();
  });
});
