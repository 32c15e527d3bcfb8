import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { type FleetRemote, headOf, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { waitFor } from '../helpers/jobFleet.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');
const TOKEN = 'site-token-for-tests';

interface RelayProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `gitfleet relay` in its own process and waits for the URL it prints. */
async function startRelay(remote: FleetRemote, dir: string, every: string, tokenFile: string, cacheDir: string): Promise<RelayProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'relay', '--repo', remote.httpUrl, '--port', '0', '--token-file', tokenFile, '--every', every, '--dir', dir, '--cache-dir', cacheDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  expect(await waitFor(() => /relay: (http:\S+)/.test(out), 20_000, 50), out).toBe(true);
  return { child, url: /relay: (http:\S+)/.exec(out)![1]!, output: () => out, exited };
}

/** The upstream commits after `since`, newest first: author and the status files each touched. */
function commitsSince(bareDir: string, since: string): { author: string; files: string[] }[] {
  const log = execFileSync('git', ['--git-dir', bareDir, 'log', '--format=%x00%an', '--name-only', `${since}..main`], { encoding: 'utf8' });
  return log
    .split('\0')
    .slice(1)
    .map((chunk) => {
      const [author, ...files] = chunk.split('\n').filter(Boolean);
      return { author: author!, files };
    });
}

function statusSeq(bareDir: string, server: string): number | null {
  try {
    const text = execFileSync('git', ['--git-dir', bareDir, 'show', `main:status/${server}.json`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return JSON.parse(text).seq;
  } catch {
    return null;
  }
}

/** Pushes a hand-made commit holding `files` to `ref` of the relay, as a misbehaving agent would. */
function pushRaw(url: string, ref: string, files: Record<string, string>, auth = true): { code: number; stderr: string } {
  const repo = tempDir('gitfleet-rogue-');
  const git = (args: string[], input?: string) =>
    execFileSync('git', ['--git-dir', repo, ...args], { input, encoding: 'utf8', env: { ...process.env, GIT_INDEX_FILE: path.join(repo, 'index') } }).trim();
  git(['init', '--bare', '--quiet']);
  for (const [file, content] of Object.entries(files)) {
    const oid = git(['hash-object', '-w', '--stdin'], content);
    git(['update-index', '--add', '--cacheinfo', `100644,${oid},${file}`]);
  }
  const commit = git(['-c', 'user.name=rogue', '-c', 'user.email=r@example.invalid', 'commit-tree', git(['write-tree']), '-m', 'rogue']);
  const target = auth ? url.replace('http://', `http://gitfleet-relay:${TOKEN}@`) : url;
  try {
    execFileSync('git', ['--git-dir', repo, 'push', '--force', target, `${commit}:${ref}`], {
      stdio: 'pipe',
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    return { code: (error as { status: number }).status, stderr: String((error as { stderr: Buffer }).stderr) };
  }
}

describe('gitfleet relay', () => {
  let remote: FleetRemote;
  let relay: RelayProcess | undefined;
  const relayDir = tempDir('gitfleet-relay-');
  const relayCache = tempDir('gitfleet-relay-cache-');
  const tokenFile = path.join(tempDir(), 'relay-token');
  const home = tempDir('gitfleet-agents-');
  const env = { GITFLEET_RELAY_TOKEN: TOKEN, GITFLEET_CACHE_DIR: path.join(home, 'cache'), GITFLEET_DATA_DIR: path.join(home, 'data') };
  const agent = (server: string, extra: string[] = [], repo = remote.httpUrl) =>
    runGitfleet(['agent', '--once', '--now', '--simulate', '--json', '--server', server, '--repo', repo, '--relay', relay!.url, ...extra], {
      env,
      timeoutMs: 60_000,
    });

  beforeAll(async () => {
    writeFileSync(tokenFile, `${TOKEN}\n`);
    remote = await startFleetRemote();
    const store = openStore({ url: remote.httpUrl });
    await store.transact('init', initFleetPlan({ name: 'relayed' }), { createBranch: true });
    await store.close();
    // A long period first: nothing is folded until the relay restarts (its first period runs at start).
    relay = await startRelay(remote, relayDir, '10m', tokenFile, relayCache);
  }, 60_000);
  afterAll(async () => {
    relay?.child.kill('SIGKILL');
    await remote?.close();
    cleanupTempDirs();
  });

  it("takes three agents' heartbeats into its inbox; restarted, folds all three into ONE upstream commit", async () => {
    const before = remote.head()!;
    const runs = await Promise.all(['a1', 'a2', 'a3'].map((s) => agent(s)));
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ pushed: true, via: 'relay' });
    }
    // Nothing reached the upstream: the heartbeats wait in the relay's durable inbox.
    expect(remote.head()).toBe(before);
    relay!.child.kill('SIGTERM');
    expect(await relay!.exited).toBe(0);
    expect(relay!.output()).toContain('stopping…');
    // A restart loses nothing: the first period folds the three heartbeats in one push.
    relay = await startRelay(remote, relayDir, '3s', tokenFile, relayCache);
    expect(await waitFor(() => remote.head() !== before, 20_000, 100)).toBe(true);
    const commits = commitsSince(remote.bareDir, before);
    expect(commits).toHaveLength(1);
    expect(commits[0]!.author).toMatch(/^op:relay-/);
    expect(commits[0]!.files.sort()).toEqual(['status/a1.json', 'status/a2.json', 'status/a3.json']);
  }, 120_000);

  it('serves agents the fleet through its mirror: an agent that cannot reach the upstream still reads fleet.json', async () => {
    plantFiles(remote.bareDir, {
      'fleet.json': `${JSON.stringify({ schemaVersion: 1, name: 'relayed', heartbeat: { periodSeconds: 300 } })}\n`,
    });
    const head = remote.head()!;
    const mirrored = () => headOf(path.join(relayDir, 'fleet.git')) === head;
    expect(await waitFor(mirrored, 20_000, 100)).toBe(true);
    // Port 9 on loopback: nothing listens, so every read comes through the relay.
    const run = await agent('b1', [], 'http://127.0.0.1:9/fleet.git');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ pushed: true, via: 'relay', periodSeconds: 300 });
    expect(await waitFor(() => statusSeq(remote.bareDir, 'b1') !== null, 20_000, 100)).toBe(true);
  }, 60_000);

  it('delivers a message through the mirror and records the receipt upstream in a transaction of its own', async () => {
    const sent = await runGitfleet(['msg', 'send', '--repo', remote.httpUrl, '--to', 'a2', '--subject', 'via relay', '--body', 'hello', '--json'], {
      env,
      timeoutMs: 60_000,
    });
    expect(sent.code, sent.stderr).toBe(0);
    const head = remote.head()!;
    expect(await waitFor(() => headOf(path.join(relayDir, 'fleet.git')) === head, 20_000, 100)).toBe(true);
    const run = await agent('a2');
    expect(JSON.parse(run.stdout)).toMatchObject({ pushed: true, via: 'relay' });
    expect(run.stderr).toContain('message.received');
    const receipts = JSON.parse(execFileSync('git', ['--git-dir', remote.bareDir, 'show', 'main:messages/receipts/a2.json'], { encoding: 'utf8' }));
    expect(JSON.stringify(receipts)).toContain(JSON.parse(sent.stdout).message.id);
    // Delivered once: the next run finds nothing new and writes no receipt.
    const again = await agent('a2');
    expect(again.stderr).not.toContain('message.received');
  }, 60_000);

  it("refuses a push to its main, an unauthenticated push, another server's id and a bad record; the others still land", async () => {
    const mainPush = pushRaw(relay!.url, 'refs/heads/main', { 'fleet.json': '{}' });
    expect(mainPush.code).not.toBe(0);
    expect(mainPush.stderr).toContain('read-only here');
    const anonymous = pushRaw(relay!.url, 'refs/relay/inbox/x1', { 'status/x1.json': '{}' }, false);
    expect(anonymous.code).not.toBe(0);
    const a1 = JSON.parse(execFileSync('git', ['--git-dir', remote.bareDir, 'show', 'main:status/a1.json'], { encoding: 'utf8' }));
    // x9 carries a1's record (another server's id), x8 carries no valid JSON.
    expect(pushRaw(relay!.url, 'refs/relay/inbox/x9', { 'status/x9.json': JSON.stringify({ ...a1, seq: a1.seq + 100 }) }).code).toBe(0);
    expect(pushRaw(relay!.url, 'refs/relay/inbox/x8', { 'status/x8.json': '{"server": "x8", ' }).code).toBe(0);
    const a3Seq = statusSeq(remote.bareDir, 'a3')!;
    const run = await agent('a3');
    expect(JSON.parse(run.stdout)).toMatchObject({ pushed: true, via: 'relay' });
    expect(await waitFor(() => /relay\.refused.*server=x9/.test(relay!.output()) && /relay\.refused.*server=x8/.test(relay!.output()), 20_000, 100)).toBe(true);
    expect(await waitFor(() => statusSeq(remote.bareDir, 'a3')! > a3Seq, 20_000, 100)).toBe(true);
    expect(statusSeq(remote.bareDir, 'x9')).toBeNull();
    expect(statusSeq(remote.bareDir, 'x8')).toBeNull();
    expect(statusSeq(remote.bareDir, 'a1')).toBe(a1.seq);
    expect(headOf(path.join(relayDir, 'fleet.git'), 'main')).not.toBeNull();
  }, 60_000);

  it('killed: agents fall back to the upstream directly and their heartbeats land; back, they return to it', async () => {
    relay!.child.kill('SIGKILL');
    await relay!.exited;
    const before = statusSeq(remote.bareDir, 'a1')!;
    const run = await agent('a1');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ pushed: true, via: 'direct' });
    expect(run.stderr).toContain('agent.relay-down');
    const direct = statusSeq(remote.bareDir, 'a1')!;
    expect(direct).toBeGreaterThan(before);
    relay = await startRelay(remote, relayDir, '3s', tokenFile, relayCache);
    const back = await agent('a1');
    expect(JSON.parse(back.stdout)).toMatchObject({ pushed: true, via: 'relay' });
    expect(await waitFor(() => statusSeq(remote.bareDir, 'a1')! > direct, 20_000, 100)).toBe(true);
  }, 60_000);
});
