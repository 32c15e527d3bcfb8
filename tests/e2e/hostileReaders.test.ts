import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import { composeMessage } from '../../src/messages/composeMessage.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { plantTreeEntries, type RawEdit } from '../helpers/plantTree.js';
import { seededRandom } from '../helpers/seededRandom.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

// Randomised hostile trees, read by every reader on both backends. GITFLEET_FUZZ_SEED
// replays a run (the seed is printed); GITFLEET_FUZZ_CASES runs more cases. A case that
// fails becomes a fixture in HOSTILE_FIXTURES below, so it is checked on every run.
const SEED = Number(process.env.GITFLEET_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.GITFLEET_FUZZ_CASES ?? 2);
const FAR_FUTURE = Date.parse('2999-01-01T00:00:00Z');

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** Names git stores but people, porcelain or one of our backends might not expect. */
const ODD_NAMES = [
  '.git',
  '..',
  '.',
  'a\\b.json',
  'CON.json',
  'nul',
  ' x.json',
  'x.json ',
  'x.json.',
  '\u202eevil.json',
  'e\u0301.json',
  '\u00e9.json',
  'tab\there.json',
  'new\nline.json',
  'esc\u001b[31m.json',
  `${'a'.repeat(250)}.json`,
  'UPPER.json',
  'x..json',
  '.hidden.json',
];
const FOLDERS = [
  'status',
  'messages',
  'jobs',
  'messages/receipts',
  'messages/notifications',
  'messages/archive/2026-11',
  'jobs/archive/2026-11',
  'messages/archive/bad-month',
];
const ID_LIKE = ['fuzz-1', 'a', 'x'.repeat(63), '01zzzzzzzzzzzzzzzzzzzzzzzz', '7zzzzzzzzzzzzzzzzzzzzzzzzz', 'ok-server'];

function hostileContent(rng: Rng, folder: string, id: string): string | Buffer {
  const now = Date.now();
  switch (Math.floor(rng() * 9)) {
    case 0:
      return '{"schemaVersion": 1, "server": ';
    case 1:
      return `${'['.repeat(3000)}${']'.repeat(3000)}`;
    case 2:
      return Buffer.alloc(Math.floor(rng() * 3 * 1024 * 1024), 0x20);
    case 3:
      return Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    case 4:
      return JSON.stringify({ schemaVersion: 1, server: id, updatedAt: new Date(FAR_FUTURE).toISOString(), seq: 1, health: { state: 'healthy' } });
    case 5:
      return JSON.stringify(composeMessage({ from: 'op:fuzz', to: 'all', subject: 'from the future', now: FAR_FUTURE }));
    case 6:
      return JSON.stringify({ ...composeJob({ kind: 'work', createdBy: 'op:fuzz', now }), id, notBefore: new Date(FAR_FUTURE).toISOString() });
    case 7:
      return JSON.stringify({ schemaVersion: 99, id, server: id });
    default:
      return folder === 'status'
        ? JSON.stringify({ schemaVersion: 1, server: 'somebody-else', updatedAt: new Date(now).toISOString(), seq: 1, health: { state: 'healthy' } })
        : '[]';
  }
}

/** One generated case: a dozen hostile entries of every sort. */
function generateCase(rng: Rng): RawEdit[] {
  const entries: RawEdit[] = [];
  for (let i = 0; i < 12; i++) {
    const folder = pick(rng, FOLDERS);
    const roll = rng();
    if (roll < 0.1) entries.push({ folder, name: pick(rng, ID_LIKE), mode: '160000', oid: 'a'.repeat(40) });
    else if (roll < 0.2) entries.push({ folder, name: `link-${i}.json`, mode: '120000', content: pick(rng, ['../../etc/passwd', '/dev/zero', 'status']) });
    else if (roll < 0.3) entries.push({ folder, name: `exec-${i}.json`, mode: '100755', content: '#!/bin/sh\necho hi\n' });
    else if (roll < 0.55) entries.push({ folder, name: pick(rng, ODD_NAMES), content: '{}' });
    else {
      const id = pick(rng, ID_LIKE);
      entries.push({ folder, name: `${id}.json`, content: hostileContent(rng, folder, id) });
    }
  }
  return entries;
}

/** Failing cases found by earlier runs, checked every time. */
const HOSTILE_FIXTURES: RawEdit[][] = [
  [
    { folder: 'status', name: '.git', content: '{}' },
    { folder: 'messages', name: '..', content: '{}' },
    { folder: 'jobs', name: 'tab\there.json', content: '{}' },
    { folder: 'status', name: 'sub', mode: '160000', oid: 'b'.repeat(40) },
    { folder: 'messages', name: '7zzzzzzzzzzzzzzzzzzzzzzzzz.json', content: '{"not": "a message"}' },
  ],
  // Seed 2132344174, case 1: an agent took the id of messages/a\b.json from the file name
  // and its status plan threw (exit 9) on every run.
  [
    { folder: 'messages', name: 'a\\b.json', content: '{}' },
    { folder: 'jobs', name: 'x..json', content: '{}' },
  ],
];

describe('randomised hostile trees read by every reader on both backends (real processes)', () => {
  let remote: FleetRemote;
  const cases: { name: string; entries: RawEdit[] }[] = [
    ...HOSTILE_FIXTURES.map((entries, i) => ({ name: `fixture ${i}`, entries })),
    ...Array.from({ length: CASES }, (_, i) => ({ name: `seed ${SEED} case ${i}`, entries: generateCase(seededRandom(SEED + i)) })),
  ];

  beforeAll(async () => {
    console.log(`hostileReaders: seed=${SEED} cases=${cases.length} (GITFLEET_FUZZ_SEED=${SEED} replays)`);
    remote = await startFleetRemote();
    const store = openStore({ url: remote.httpUrl, actor: 'op:fuzz' });
    await store.transact('init', initFleetPlan({ heartbeat: { periodSeconds: 60 } }), { createBranch: true });
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it.each(cases)(
    '$name: no crash, no hang, the same invalid set from both backends, nothing unreadable rewritten',
    async ({ entries }) => {
      // Each entry replaces what an earlier case left at its path (a remove, then the entry).
      const planted = plantTreeEntries(
        remote.bareDir,
        entries.flatMap((e) => [{ ...e, remove: true }, e]),
      );
      const blobsBefore = blobMap(remote.bareDir, planted);
      const invalidBy: Record<string, string[]> = {};
      for (const backend of ['cli', 'js'] as const) {
        const work = tempDir();
        const env = {
          GITFLEET_REPO: remote.httpUrl,
          GITFLEET_BACKEND: backend,
          GITFLEET_CACHE_DIR: path.join(work, 'cache'),
          GITFLEET_DATA_DIR: path.join(work, 'data'),
        };
        const readers: [string[], number[]][] = [
          [
            ['validate', '--json'],
            [0, 3],
          ],
          [['status', '--json'], [0]],
          [['msg', 'list', '--json'], [0]],
          [['job', 'list', '--json'], [0]],
          [['snapshot', '--out', path.join(work, 'snap')], [0]],
          [['coordinator', '--once', '--name', `fuzz-${backend}`], [0]],
          [['agent', '--once', '--now', '--simulate', '--server', `fuzz-${backend}`], [0]],
        ];
        for (const [args, codes] of readers) {
          const run = await runGitfleet(args, { env, timeoutMs: 120_000 });
          const what = `${backend}: gitfleet ${args.join(' ')} -> ${run.code}\n${run.stderr.slice(0, 2000)}`;
          expect(codes, what).toContain(run.code);
          expect(run.stderr, what).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
          if (args[0] === 'validate') {
            const report = JSON.parse(run.stdout) as { errors: { path: string }[] };
            invalidBy[backend] = report.errors.map((e) => e.path).sort();
          }
        }
      }
      expect(invalidBy.js, 'both backends list the same invalid files').toEqual(invalidBy.cli);
      // Every file that is not a valid record is exactly as planted: no reader or writer
      // replaced, repaired or deleted what it could not read.
      const after = blobMap(remote.bareDir, remote.head()!);
      for (const p of invalidBy.cli!) expect(after.get(p), p).toBe(blobsBefore.get(p));
    },
    900_000,
  );
});

/** path -> blob id of every file at a commit (NUL-separated, so odd names survive). */
function blobMap(bareDir: string, commit: string): Map<string, string> {
  const out = execFileSync('git', ['--git-dir', bareDir, 'ls-tree', '-r', '-z', '--full-tree', commit], { maxBuffer: 64 * 1024 * 1024 });
  const map = new Map<string, string>();
  for (const record of out.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    map.set(record.slice(tab + 1), record.slice(0, tab).split(' ')[2]!);
  }
  return map;
}
