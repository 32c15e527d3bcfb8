import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetRemote, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { createStore } from '../config/createStore.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { createBackend } from './createBackend.js';
import type { FileChange } from './GitBackend.js';
import { parseRemote } from './RemoteSpec.js';

// The CLI backend writes its commits as loose objects from node (no git fast-import): they
// must be objects git itself accepts, byte for byte what isomorphic-git writes for the same
// commit, and they must push and read back.
describe('commits built in process', () => {
  let remote: FleetRemote;
  beforeAll(async () => {
    remote = await startFleetRemote();
    await createStore({ remote: remote.httpUrl, cacheDir: tempDir(), actor: 'op:test' }).transact('init', initFleetPlan(), { createBranch: true });
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  const changes: FileChange[] = [
    { path: 'status/web-1.json', content: Buffer.from('{"a":1}\n') },
    { path: 'status/web-10.json', content: Buffer.from('{"b":2}\n') },
    { path: 'jobs/archive/2026-11/j1.json', content: Buffer.from('{"c":3}\n') },
    { path: 'messages/m-1.json', content: Buffer.from('{}\n') },
    { path: 'fleet.json', content: null },
  ];
  const meta = {
    message: 'test: ünïcode message\n\nGitfleet-Actor: op:test\n',
    authorName: 'op:test',
    authorEmail: 'op.test@gitfleet.invalid',
    time: 1_764_500_000_123,
  };

  it('writes the same commit id as the js backend, which git fsck --strict accepts and the remote takes', async () => {
    const cliDir = path.join(tempDir(), 'cli');
    const cli = createBackend({ kind: 'cli', remote: parseRemote(remote.httpUrl), branch: 'main', cacheDir: cliDir });
    const js = createBackend({ kind: 'js', remote: parseRemote(remote.httpUrl), branch: 'main', cacheDir: path.join(tempDir(), 'js') });
    const head = await cli.fetch();
    expect(await js.fetch()).toBe(head);
    const fromCli = await cli.commit(head, changes, meta);
    expect(fromCli).toBe(await js.commit(head, changes, meta));
    execFileSync('git', ['--git-dir', cliDir, 'fsck', '--strict', '--no-dangling', fromCli], { stdio: 'pipe' });
    expect(await cli.push(fromCli)).toBe('ok');
    expect(remote.head()).toBe(fromCli);
    const paths = (await cli.listTree(fromCli, ['status', 'jobs', 'fleet.json'])).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['jobs/archive/2026-11/j1.json', 'status/web-1.json', 'status/web-10.json']));
    expect(paths).not.toContain('fleet.json');
    await cli.close();
    await js.close();
  });

  it('writes a root commit when there is no parent', async () => {
    const rootDir = path.join(tempDir(), 'cli-root');
    const cli = createBackend({ kind: 'cli', remote: parseRemote(remote.httpUrl), branch: 'main', cacheDir: rootDir });
    await cli.fetch();
    const root = await cli.commit(null, changes.slice(0, 2), meta);
    const text = execFileSync('git', ['--git-dir', rootDir, 'cat-file', '-p', root]).toString();
    expect(text).not.toMatch(/^parent /m);
    expect(execFileSync('git', ['--git-dir', rootDir, 'ls-tree', '-r', '--name-only', root]).toString().trim().split('\n')).toEqual([
      'status/web-1.json',
      'status/web-10.json',
    ]);
    await cli.close();
  });
});
