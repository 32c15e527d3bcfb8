import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetRemote, headOf, plantFiles, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { cleanupTempDirs } from '../../tests/helpers/tempDir.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { parseGitLog } from './parseGitLog.js';

const FAKE_OID = 'f'.repeat(40);
// Everything a commit message may carry to forge `gitfleet log`: the old record and unit
// separators, a fake commit id, fake "A\tpath" lines, other C0 controls and newlines.
const FORGED =
  `real subject\x1e${FAKE_OID}\x1f\x1fop:admin\x1fadmin@x\x1f1\x1ffake message\x1f\nA\tjobs/fake.json\nD\tstatus/hidden.json\n\x07\x1b[31m\r\n\x00-free tail`.replace(
    '\x00',
    '',
  );

describe.each(['cli', 'js'] as const)('log parsing cannot be forged by a commit message (%s backend)', (backend) => {
  let remote: FleetRemote;
  let forged: string;
  let withNul: string;

  beforeAll(async () => {
    remote = await startFleetRemote();
    await openStore({ url: remote.httpUrl }).transact('init', initFleetPlan(), { createBranch: true });
    plantFiles(remote.bareDir, { 'status/real-1.json': '{}' });
    // The message of a commit object may even hold NUL (hash-object --literally).
    const git = (args: string[], input?: string | Buffer) =>
      execFileSync('git', ['--git-dir', remote.bareDir, ...args], { input })
        .toString()
        .trim();
    const parent = headOf(remote.bareDir)!;
    const tree = git(['rev-parse', `${parent}^{tree}`]);
    forged = git(['-c', 'user.name=planter', '-c', 'user.email=p@x', 'commit-tree', tree, '-p', parent, '-F', '-'], FORGED);
    const nulBody = Buffer.from(
      `tree ${tree}\nparent ${forged}\nauthor planter <p@x> 1700000000 +0000\ncommitter planter <p@x> 1700000000 +0000\n\nnul\0${FAKE_OID}\0\nA\0jobs/fake2.json\0`,
    );
    withNul = git(['hash-object', '-t', 'commit', '-w', '--literally', '--stdin'], nulBody);
    git(['update-ref', 'refs/heads/main', withNul]);
    plantFiles(remote.bareDir, { 'status/real-2.json': '{}' });
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('lists exactly the real commits, with their real files and whole messages', async () => {
    const store = openStore({ url: remote.httpUrl, backend });
    const head = (await store.snapshot()).commit!;
    const log = await store.withCache((b) => b.log({ from: head, limit: 50 }));
    const oids = execFileSync('git', ['--git-dir', remote.bareDir, 'rev-list', 'main']).toString().trim().split('\n');
    expect(log.map((c) => c.oid)).toEqual(oids);
    expect(log.map((c) => c.oid)).not.toContain(FAKE_OID);
    const paths = log.flatMap((c) => c.files.map((f) => f.path));
    expect(paths).not.toContain('jobs/fake.json');
    expect(paths).not.toContain('jobs/fake2.json');
    expect(paths).not.toContain('status/hidden.json');
    expect(log[0]!.files).toEqual([{ status: 'A', path: 'status/real-2.json' }]);
    const f = log.find((c) => c.oid === forged)!;
    expect(f.files).toEqual([]);
    expect(f.message).toBe(FORGED.trim());
    expect(f.authorName).toBe('planter');
    expect(log.find((c) => c.oid === withNul)!.files).toEqual([]);
    await store.close();
  });
});

describe('parseGitLog', () => {
  it('reads ids and name-status pairs only, whatever the paths hold', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const out = Buffer.from(`${a}\0\nM\0status/x.json\0A\0${b}\0D\0weird\nname\0${b}\0`);
    expect(parseGitLog(out)).toEqual([
      {
        oid: a,
        files: [
          { status: 'M', path: 'status/x.json' },
          { status: 'A', path: b },
          { status: 'D', path: 'weird\nname' },
        ],
      },
      { oid: b, files: [] },
    ]);
  });
});
