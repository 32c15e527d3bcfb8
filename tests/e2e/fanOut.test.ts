import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMessage } from '../../src/messages/composeMessage.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { MIGRATE_BATCH } from '../../src/store/migrateArchivesPlan.js';
import { recordPath } from '../../src/store/recordPaths.js';
import { stringifyRecord } from '../../src/util/stringifyRecord.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');
const ROOT = path.resolve(import.meta.dirname, '../..');
/**
 * The last main commit before sharded archives (flat archives only): the "older reader" is
 * built from it, out of this repository's own history, unless GITFLEET_OLD_BIN names one.
 */
const OLD_COMMIT = '2f82908';

/** Builds the older gitfleet into a temporary folder (asynchronously: this process serves the remote). */
async function olderGitfleet(): Promise<string> {
  if (process.env.GITFLEET_OLD_BIN) return process.env.GITFLEET_OLD_BIN;
  const run = promisify(execFile);
  const dir = tempDir('gitfleet-old-');
  await run('sh', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'sh', ROOT, OLD_COMMIT, dir]);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  await run(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: dir });
  return path.join(dir, 'dist/gitfleet.js');
}
const ARCHIVED = 3_200;
const LIMIT = 3_000;

/** Entries (files and subfolders) of the fullest folder at the branch head. */
function largestFolder(bareDir: string): { folder: string; entries: number } {
  const files = execFileSync('git', ['--git-dir', bareDir, 'ls-tree', '-r', '-z', '--name-only', 'main'], { maxBuffer: 256 << 20 })
    .toString()
    .split('\0')
    .filter(Boolean);
  const entries = new Map<string, Set<string>>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 0; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/') || '.';
      if (!entries.has(folder)) entries.set(folder, new Set());
      entries.get(folder)!.add(parts[i]!);
    }
  }
  let best = { folder: '.', entries: 0 };
  for (const [folder, names] of entries) if (names.size > best.entries) best = { folder, entries: names.size };
  return best;
}

/** One commit holding `files` on top of main, written by git fast-import (not one commit per record). */
function importFiles(bareDir: string, files: Record<string, string>): void {
  const head = execFileSync('git', ['--git-dir', bareDir, 'rev-parse', 'main']).toString().trim();
  const chunks = [`commit refs/heads/main\ncommitter seed <seed@example.invalid> 1790000000 +0000\ndata 4\nseed\nfrom ${head}\n`];
  for (const [p, text] of Object.entries(files)) chunks.push(`M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  execFileSync('git', ['--git-dir', bareDir, 'fast-import', '--quiet'], { input: chunks.join('') });
}

describe('fan-out: gitfleet migrate shards the archives while an agent and the coordinator run', () => {
  let remote: FleetRemote;
  let agent: ChildProcess;
  let coordinator: ChildProcess;
  let env: Record<string, string>;
  const messageIds: string[] = [];
  const statusSeq = () => {
    try {
      return JSON.parse(
        execFileSync('git', ['--git-dir', remote.bareDir, 'show', 'main:status/live-01.json'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString(),
      ).seq as number;
    } catch {
      return -1;
    }
  };
  const waitFor = async (what: string, ok: () => boolean, ms = 60_000) => {
    const until = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    remote = await startFleetRemote();
    await openStore({ url: remote.httpUrl }).transact(
      'init',
      initFleetPlan({ heartbeat: { periodSeconds: 10, sampleSeconds: 5, skipUnchanged: false }, pushBudget: { pushesPerMinute: 600 } }),
      { createBranch: true },
    );
    const files: Record<string, string> = {};
    const start = Date.parse('2026-10-01T00:00:00.000Z');
    for (let i = 0; i < ARCHIVED; i++) {
      const m = composeMessage({ from: 'op:alice', to: 'all', subject: `old ${i}`, now: start + i * 60_000 });
      messageIds.push(m.id);
      files[recordPath('message', m.id, { archiveMonth: '2026-10' })] = stringifyRecord(m);
    }
    importFiles(remote.bareDir, files);
    const work = tempDir();
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GITFLEET_')) clean[k] = v;
    const daemonEnv = (name: string) => ({
      ...clean,
      GITFLEET_REPO: remote.httpUrl,
      GITFLEET_CACHE_DIR: path.join(work, `${name}-cache`),
      GITFLEET_DATA_DIR: path.join(work, `${name}-data`),
    });
    agent = spawn(process.execPath, [BIN, 'agent', '--simulate', '--server', 'live-01'], { env: daemonEnv('agent'), stdio: 'ignore' });
    coordinator = spawn(process.execPath, [BIN, 'coordinator', '--name', 'coord-1'], { env: daemonEnv('coord'), stdio: 'ignore' });
    env = { GITFLEET_REPO: remote.httpUrl, GITFLEET_CACHE_DIR: path.join(work, 'cli-cache'), GITFLEET_DATA_DIR: path.join(work, 'cli-data') };
  }, 120_000);

  afterAll(async () => {
    agent?.kill('SIGKILL');
    coordinator?.kill('SIGKILL');
    await remote?.close();
    cleanupTempDirs();
  });

  it('the flat archive passes the limit; after the migration no folder does, nothing is lost and the daemons carry on', async () => {
    expect(largestFolder(remote.bareDir)).toEqual({ folder: 'messages/archive/2026-10', entries: ARCHIVED });
    await waitFor('the agent’s first heartbeat', () => statusSeq() >= 0);

    const migrated = await runGitfleet(['migrate', '--json'], { env, timeoutMs: 300_000 });
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    const report = JSON.parse(migrated.stdout);
    expect(report).toMatchObject({ layout: 2, moved: ARCHIVED, unreadable: [] });
    // One commit per batch: the markers ride with the first.
    expect(report.commits).toBe(Math.ceil(ARCHIVED / MIGRATE_BATCH));

    const largest = largestFolder(remote.bareDir);
    expect(largest.entries).toBeLessThanOrEqual(LIMIT);
    // The month folder now holds at most its 256 shard folders, each a small share of the month.
    expect(largest.entries).toBeLessThanOrEqual(256);

    // Both backends read every archived message from the sharded layout.
    for (const backend of ['cli', 'js']) {
      const list = await runGitfleet(['msg', 'list', '--archived', '--limit', '100000', '--json'], { env: { ...env, GITFLEET_BACKEND: backend } });
      expect(list.code, list.stderr).toBe(0);
      const ids = (JSON.parse(list.stdout) as { id: string }[]).map((m) => m.id).sort();
      expect(ids).toEqual([...messageIds].sort());
    }

    // The daemons lived through it: the agent lands a newer heartbeat, the coordinator still runs.
    const seq = statusSeq();
    await waitFor('a heartbeat after the migration', () => statusSeq() > seq);
    expect(agent.exitCode).toBeNull();
    expect(coordinator.exitCode).toBeNull();

    // Running it again (with the JavaScript backend) is harmless: nothing left to move.
    const again = await runGitfleet(['migrate', '--json'], { env: { ...env, GITFLEET_BACKEND: 'js', GITFLEET_CACHE_DIR: `${env.GITFLEET_CACHE_DIR}-js` } });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ moved: 0, commits: 0 });
  }, 400_000);

  it('an older gitfleet reads the migrated repository without crashing and reports the shards', async () => {
    const OLD_BIN = await olderGitfleet();
    // Asynchronously: this process serves the git remote the old binary reads.
    const oldEnv = { ...process.env, ...env, GITFLEET_CACHE_DIR: `${env.GITFLEET_CACHE_DIR}-old` };
    const run = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, [OLD_BIN, ...args], { env: oldEnv, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
          resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
        ),
      );
    // Archives it cannot place: listed as unexpected files by validate, never a crash or a silent drop.
    const validate = await run(['validate', '--json']);
    expect(validate.status, validate.stderr).not.toBeNull();
    expect(validate.stdout).toContain('not a record folder');
    for (const args of [
      ['status', '--json'],
      ['msg', 'list', '--json'],
      ['job', 'list', '--json'],
    ]) {
      const r = await run(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  }, 300_000);
});
