import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import { composeMessage } from '../../src/messages/composeMessage.js';
import type { ServerStatus } from '../../src/schema/types.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { backendCacheDir, damageCache } from '../helpers/damageCache.js';
import { seededRandom } from '../helpers/seededRandom.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet, type CliRun } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const SEED = Number(process.env.GITFLEET_DAMAGE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const EXIT_CACHE_CORRUPT = 10;

const status = (server: string): ServerStatus => ({ schemaVersion: 1, server, updatedAt: new Date().toISOString(), seq: 1, health: { state: 'healthy' } });

/** What a reader's answer says, without the parts that change from one second to the next. */
function fingerprint(stdout: string): string[] {
  const found: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (typeof v === 'string' && /^(id|server|path|reason)$/.test(key)) found.push(`${key}=${v}`);
    else if (typeof v === 'number' && /^(status|jobs|messages|fleet|receipts|files)$/.test(key)) found.push(`${key}#${v}`);
  };
  walk(JSON.parse(stdout));
  return found.sort();
}

/** The bytes of every job and message (receipts aside) on the remote: nothing may change them. */
function remoteRecords(bareDir: string): string {
  return execFileSync('git', ['--git-dir', bareDir, 'ls-tree', '-r', 'refs/heads/main', '--', 'jobs', 'messages'])
    .toString()
    .split('\n')
    .filter((l) => l && !l.includes('messages/receipts/'))
    .join('\n');
}

// A blob missing from the local cache was read as an invalid record: validate called valid
// records invalid, msg list dropped messages, and the coordinator overwrote a job it could
// not read with a stub. Every reader must now rebuild the cache once or exit 10.
// The two backends share nothing (own remote, cache and seed): their suites run side by
// side, each one's tests in order (they share one cache).
afterAll(() => cleanupTempDirs());
describe.concurrent.each(['cli', 'js'] as const)('a damaged local cache (%s backend)', (backend) => {
  let remote: FleetRemote;
  let env: Record<string, string>;
  let cacheRoot: string;
  const random = seededRandom(SEED + (backend === 'js' ? 1 : 0));
  const expected = new Map<string, string[]>();
  const readers: [string, string[]][] = [
    ['validate', ['validate', '--json']],
    ['status', ['status', '--json']],
    ['msg list', ['msg', 'list', '--json']],
    ['job list', ['job', 'list', '--json']],
  ];

  beforeAll(async () => {
    console.log(`cache damage seed: ${SEED} (set GITFLEET_DAMAGE_SEED=${SEED} to replay)`);
    remote = await startFleetRemote();
    const store = openStore({ url: remote.httpUrl });
    await store.transact('init', initFleetPlan({ name: 'damage' }), { createBranch: true });
    const now = Date.now();
    await store.transact('seed', () => {
      const changes = new ChangeSet();
      for (let i = 1; i <= 6; i++) changes.put('status', status(`s-${i}`));
      for (let i = 1; i <= 8; i++) {
        changes.put(
          'job',
          composeJob({ kind: 'build', params: { target: `t${i}` }, createdBy: 'op:test', notBefore: new Date(now + 86_400_000), now: now - i * 1000 }),
        );
        changes.put(
          'message',
          composeMessage({ from: 'op:test', to: i % 2 ? 'all' : `s-${i}`, subject: `message ${i}`, body: `body ${i}`, now: now - i * 1000 }),
        );
      }
      return changes;
    });
    await store.close();
    const work = tempDir('gitfleet-damage-');
    cacheRoot = path.join(work, 'cache');
    env = { GITFLEET_REPO: remote.httpUrl, GITFLEET_BACKEND: backend, GITFLEET_CACHE_DIR: cacheRoot, GITFLEET_DATA_DIR: path.join(work, 'data') };
    // What an undamaged cache answers.
    for (const [name, args] of readers) {
      const run = await runGitfleet(args, { env: { ...env, GITFLEET_CACHE_DIR: path.join(work, 'clean-cache') } });
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      expected.set(name, fingerprint(run.stdout));
    }
  }, 300_000);
  afterAll(async () => {
    await remote.close();
  });

  /** Warms the cache with a read, damages it, then runs `args`. */
  async function runDamaged(args: string[]): Promise<CliRun> {
    const warm = await runGitfleet(['validate', '--json'], { env });
    expect(warm.code, warm.stderr).toBe(0);
    const damage = await damageCache(await backendCacheDir(cacheRoot, backend), random);
    console.log(`${backend} ${args.join(' ')}: removed ${damage.removedLoose.length} loose objects, ${damage.corruptedPacks.join(', ') || 'no pack damaged'}`);
    return runGitfleet(args, { env });
  }

  it.sequential.each([0, 1, 2])(
    'every reader answers in full after rebuilding the cache, or exits 10 (round %i)',
    async () => {
      for (const [name, args] of readers) {
        const run = await runDamaged(args);
        console.log(`${backend} ${name}: exit ${run.code}`);
        if (run.code === EXIT_CACHE_CORRUPT) {
          expect(run.stderr, name).toMatch(/cache/i);
          continue;
        }
        expect(run.code, `${name}: ${run.stderr}`).toBe(0);
        expect(fingerprint(run.stdout), name).toEqual(expected.get(name));
      }
    },
    300_000,
  );

  it.sequential('snapshot writes every record after rebuilding, or exits 10', async () => {
    const clean = tempDir('gitfleet-snap-clean-');
    expect((await runGitfleet(['snapshot', '--out', clean], { env: { ...env, GITFLEET_CACHE_DIR: path.join(clean, 'cache') } })).code).toBe(0);
    const out = tempDir('gitfleet-snap-');
    const run = await runDamaged(['snapshot', '--out', out]);
    if (run.code === EXIT_CACHE_CORRUPT) return;
    expect(run.code, run.stderr).toBe(0);
    const read = async (dir: string) => (JSON.parse(await fs.readFile(path.join(dir, 'snapshot.json'), 'utf8')) as { files: Record<string, string> }).files;
    expect(await read(out)).toEqual(await read(clean));
  }, 300_000);

  it.sequential('coordinator --once and agent --once never change a job or message they could not read', async () => {
    // First what they decide on a sound cache (the coordinator refuses jobs of a kind no
    // server runs): after that, nothing is left to decide about any job or message.
    const clean = { ...env, GITFLEET_CACHE_DIR: tempDir('gitfleet-settle-') };
    for (const args of [
      ['coordinator', '--once', '--name', 'c-1'],
      ['agent', '--once', '--now', '--server', 's-1'],
      ['coordinator', '--once', '--name', 'c-1'],
    ]) {
      const run = await runGitfleet(args, { env: clean });
      expect(run.code, run.stderr).toBe(0);
    }
    const before = remoteRecords(remote.bareDir);
    for (const args of [
      ['coordinator', '--once', '--name', 'c-1'],
      ['agent', '--once', '--now', '--server', 's-1'],
      ['coordinator', '--once', '--name', 'c-1'],
    ]) {
      const run = await runDamaged(args);
      console.log(`${backend} ${args[0]}: exit ${run.code}`);
      expect([0, EXIT_CACHE_CORRUPT], `${args.join(' ')}: ${run.stderr}`).toContain(run.code);
      expect(remoteRecords(remote.bareDir)).toBe(before);
    }
    const validate = await runGitfleet(['validate', '--json'], { env: { ...env, GITFLEET_CACHE_DIR: tempDir('gitfleet-after-') } });
    expect(validate.code, validate.stdout).toBe(0);
  }, 300_000);
});
