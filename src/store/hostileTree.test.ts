import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../../tests/helpers/tempDir.js';
import { type FleetRemote, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { hostileEdits } from '../../tests/helpers/hostileTreeEdits.js';
import { plantTreeEntries, rawTreeAt } from '../../tests/helpers/plantTree.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import type { ServerStatus } from '../schema/types.js';
import { ChangeSet } from './ChangeSet.js';
import type { SnapshotContents } from './Snapshot.js';

const status = (server: string): ServerStatus => ({ schemaVersion: 1, server, updatedAt: '2026-11-22T10:00:00.000Z', seq: 1, health: { state: 'healthy' } });

const variants = [
  { name: 'cli over http', backend: 'cli' as const, transport: 'http' as const },
  { name: 'js over http', backend: 'js' as const, transport: 'http' as const },
  { name: 'cli on a local bare repository', backend: 'cli' as const, transport: 'path' as const },
];

describe('tree entries one backend refuses: the same listing from every backend', () => {
  let remote: FleetRemote;
  let planted: string;
  const seen = new Map<string, SnapshotContents>();
  const listings = new Map<string, unknown[]>();

  beforeAll(async () => {
    remote = await startFleetRemote();
    await openStore({ url: remote.httpUrl }).transact('init', initFleetPlan({ name: 'hostile' }), { createBranch: true });
    const blob = execFileSync('git', ['--git-dir', remote.bareDir, 'hash-object', '-w', '--stdin'], { input: 'a blob, not a tree' }).toString().trim();
    planted = plantTreeEntries(remote.bareDir, hostileEdits(blob));
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it.each(variants)('$name reads the records and reports every hostile entry as unexpected', async ({ name, backend, transport }) => {
    const store = openStore({ url: transport === 'http' ? remote.httpUrl : remote.bareDir, backend });
    const contents = await (await store.snapshot()).read();
    seen.set(name, contents);
    expect(contents.commit).toBe(planted);
    expect(contents.status.map((s) => s.server).sort()).toEqual(['exec-1', 'good-1']);
    const reasons = Object.fromEntries(contents.invalid.map((i) => [i.path, i.reason]));
    expect(reasons['status/sub-1.json']).toMatch(/unexpected file: a gitlink/);
    expect(reasons['jobs/gitlink']).toMatch(/unexpected file: a gitlink/);
    expect(reasons['status/link-1.json']).toMatch(/unexpected file: a symlink/);
    expect(reasons['status/odd-mode.json']).toMatch(/unusual mode "100664"/);
    expect(reasons['status/.git']).toMatch(/name git refuses/);
    expect(reasons['status/x/y.json']).toMatch(/name with "\/"/);
    expect(reasons['status/a\\b.json']).toMatch(/name with "\\"/);
    expect(reasons['status/twice.json']).toMatch(/appears twice/);
    expect(reasons['messages/.git']).toMatch(/name git refuses/);
    expect(reasons['messages/sneaky']).toMatch(/unusual mode/);
    for (const n of ['.GIT. ', 'git~1', '.g\u200cit', '.git::$INDEX_ALLOCATION', '..', '.']) expect(reasons[`status/${n}`], n).toMatch(/name git refuses/);
    expect(Object.keys(reasons)).not.toContain('status/evil-1.json');
    await store.close();
  });

  it('every backend returned the same records and the same invalid list', () => {
    const [first, ...rest] = [...seen.values()];
    expect(seen.size).toBe(variants.length);
    for (const other of rest) {
      expect(other.status).toEqual(first!.status);
      expect(other.invalid).toEqual(first!.invalid);
    }
  });

  it.each(variants)('$name lists the same entries, modes included, and diffs past them', async ({ backend, transport }) => {
    const store = openStore({ url: transport === 'http' ? remote.httpUrl : remote.bareDir, backend });
    const head = (await store.snapshot()).commit!;
    const listing = await store.backend.listTree(head, ['status', 'jobs', 'messages', 'fleet.json'], { all: true });
    const plain = await store.backend.listTree(head, ['status', 'jobs', 'messages', 'fleet.json']);
    const modes = Object.fromEntries(listing.map((e) => [e.path, e.mode]));
    expect(modes['status/exec-1.json']).toBe('100755');
    expect(modes['status/link-1.json']).toBe('120000');
    expect(modes['status/sub-1.json']).toBe('160000');
    expect(plain.every((e) => !e.unexpected)).toBe(true);
    expect(plain.map((e) => e.path)).toContain('status/good-1.json');
    expect(plain.map((e) => e.path)).not.toContain('status/sub-1.json');
    listings.set(
      backend + transport,
      listing.map(({ path, oid, mode, unexpected, size }) => ({ path, oid, mode, unexpected, size })),
    );
    const parent = execFileSync('git', ['--git-dir', remote.bareDir, 'rev-parse', `${planted}^`])
      .toString()
      .trim();
    await store.withCache(async (b) => {
      await b.log({ from: head, limit: 5 });
      const changed = await b.changedPaths(parent, head);
      expect(changed.map((c) => c.path)).toEqual(expect.arrayContaining(['status/good-1.json', 'status/exec-1.json']));
      expect(changed.map((c) => c.path)).not.toContain('status/sub-1.json');
    });
    await store.close();
  });

  it('every backend listed the same entries', () => {
    const [first, ...rest] = [...listings.values()];
    expect(listings.size).toBe(variants.length);
    for (const other of rest) expect(other).toEqual(first);
  });

  it.each(variants)('$name writes on top of them, keeping every entry it did not change byte for byte', async ({ name, backend, transport }) => {
    const before = { status: rawTreeAt(remote.bareDir, 'status'), messages: rawTreeAt(remote.bareDir, 'messages') };
    const store = openStore({ url: transport === 'http' ? remote.httpUrl : remote.bareDir, backend });
    const server = `w-${name.split(' ')[0]}-${transport}`;
    const result = await store.transact('report', () => new ChangeSet().put('status', status(server)));
    expect(result.status).toBe('committed');
    const after = rawTreeAt(remote.bareDir, 'status');
    // The same bytes with one more entry: nothing else was renamed, re-moded or dropped.
    const added = Buffer.concat([Buffer.from(`100644 ${server}.json\0`)]);
    expect(after.length).toBe(before.status.length + added.length + 20);
    expect(rawTreeAt(remote.bareDir, 'messages').equals(before.messages)).toBe(true);
    const root = execFileSync('git', ['--git-dir', remote.bareDir, 'ls-tree', '-z', '--name-only', 'refs/heads/main']).toString().split('\0');
    expect(root).toEqual(expect.arrayContaining(['.git', 'status/evil-1.json']));
    // fsck would complain about the planted names, never about missing objects.
    const fsck = (() => {
      try {
        return execFileSync('git', ['--git-dir', remote.bareDir, 'fsck', '--connectivity-only'], { stdio: 'pipe' }).toString();
      } catch (error) {
        return String((error as { stderr?: Buffer }).stderr ?? error);
      }
    })();
    expect(fsck).not.toMatch(/missing/);
    await store.close();
  });
});
