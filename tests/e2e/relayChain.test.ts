import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { type FleetRemote, headOf, startFleetRemote } from '../helpers/fleetRemote.js';
import { waitFor } from '../helpers/jobFleet.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');
const TOP_TOKEN = 'top-relay-token-for-tests';
const SITE_TOKEN = 'site-relay-token-for-tests';

interface RelayProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** `gitfleet relay` in its own process, given its upstream as `--repo <url>` or `--parent <url>`; waits for its URL. */
async function relay(args: string[], env: Record<string, string> = {}, port = '0'): Promise<RelayProcess> {
  const child = spawn(process.execPath, [BIN, 'relay', '--port', port, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  expect(await waitFor(() => /relay: (http:\S+)/.test(out) || child.exitCode !== null, 20_000, 50), out).toBe(true);
  expect(out).toMatch(/relay: (http:\S+)/);
  return { child, url: /relay: (http:\S+)/.exec(out)![1]!, output: () => out, exited };
}

function inboxRefs(relayDir: string): string[] {
  const out = execFileSync('git', ['--git-dir', path.join(relayDir, 'fleet.git'), 'for-each-ref', '--format=%(refname:lstrip=3)', 'refs/relay/inbox/'], {
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean).sort();
}

/** 2 site relays chained under 1 top relay, under the fleet repository. */
describe('gitfleet relay --parent (a chain)', () => {
  let remote: FleetRemote;
  const relays: RelayProcess[] = [];
  const top = { dir: tempDir('gitfleet-top-relay-'), cache: tempDir('gitfleet-top-cache-'), tokenFile: path.join(tempDir(), 'top-token') };
  const siteTokenFile = path.join(tempDir(), 'site-token');
  const sites = [tempDir('gitfleet-site-a-'), tempDir('gitfleet-site-b-')];
  const home = tempDir('gitfleet-chain-agents-');
  let topRelay: RelayProcess;
  const siteRelays: RelayProcess[] = [];

  const startTop = async (port = '0') => {
    topRelay = await relay(['--repo', remote.httpUrl, '--token-file', top.tokenFile, '--every', '10m', '--dir', top.dir, '--cache-dir', top.cache], {}, port);
    relays.push(topRelay);
  };
  const startSite = async (i: number, every: string) => {
    siteRelays[i] = await relay(['--parent', topRelay.url, '--token-file', siteTokenFile, '--every', every, '--dir', sites[i]!], {
      GITFLEET_PARENT_RELAY_TOKEN: TOP_TOKEN,
    });
    relays.push(siteRelays[i]!);
  };
  const agent = (server: string, site: number) =>
    runGitfleet(['agent', '--once', '--now', '--simulate', '--json', '--server', server, '--repo', remote.httpUrl, '--relay', siteRelays[site]!.url], {
      env: { GITFLEET_RELAY_TOKEN: SITE_TOKEN, GITFLEET_CACHE_DIR: path.join(home, 'cache'), GITFLEET_DATA_DIR: path.join(home, 'data') },
      timeoutMs: 60_000,
    });

  beforeAll(async () => {
    writeFileSync(top.tokenFile, `${TOP_TOKEN}\n`);
    writeFileSync(siteTokenFile, `${SITE_TOKEN}\n`);
    remote = await startFleetRemote();
    const store = openStore({ url: remote.httpUrl });
    await store.transact('init', initFleetPlan({ name: 'chained' }), { createBranch: true });
    await store.close();
    // Long periods: nothing moves on its own between the steps below; each relay's first
    // period runs at its start, which is how the test moves heartbeats up the chain.
    await startTop();
    await startSite(0, '10m');
    await startSite(1, '10m');
  }, 90_000);
  afterAll(async () => {
    for (const r of relays) r.child.kill('SIGKILL');
    await remote?.close();
    cleanupTempDirs();
  });

  it('agents behind two site relays land upstream in ONE top-relay commit; a site relay killed before forwarding loses nothing', async () => {
    const before = remote.head()!;
    // Agents read the fleet through their site relay, which mirrors the top relay.
    expect(headOf(path.join(sites[0]!, 'fleet.git'))).toBe(before);
    const runs = await Promise.all([agent('a1', 0), agent('a2', 0), agent('b1', 1)]);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ pushed: true, via: 'relay' });
    }
    expect(inboxRefs(sites[0]!)).toEqual(['a1', 'a2']);
    expect(inboxRefs(top.dir)).toEqual([]);
    // Site A is killed with its heartbeats unforwarded; site B stops cleanly. Restarted,
    // each forwards its inbox to the top relay in its first period.
    siteRelays[0]!.child.kill('SIGKILL');
    await siteRelays[0]!.exited;
    siteRelays[1]!.child.kill('SIGTERM');
    expect(await siteRelays[1]!.exited).toBe(0);
    await startSite(0, '2s');
    await startSite(1, '2s');
    expect(await waitFor(() => inboxRefs(top.dir).join() === 'a1,a2,b1', 20_000, 100)).toBe(true);
    expect(siteRelays[0]!.output()).toMatch(/relay\.tick.*result=forwarded/);
    expect(remote.head()).toBe(before);
    // The top relay folds the three in one commit (its restart, on the same port, runs a period at once).
    const port = new URL(topRelay.url).port;
    topRelay.child.kill('SIGTERM');
    expect(await topRelay.exited).toBe(0);
    await startTop(port);
    expect(await waitFor(() => remote.head() !== before, 20_000, 100)).toBe(true);
    const log = execFileSync('git', ['--git-dir', remote.bareDir, 'log', '--format=%x00%an', '--name-only', `${before}..main`], { encoding: 'utf8' });
    const commits = log
      .split('\0')
      .slice(1)
      .map((c) => c.split('\n').filter(Boolean));
    expect(commits).toHaveLength(1);
    expect(commits[0]![0]).toMatch(/^op:relay-/);
    expect(commits[0]!.slice(1).sort()).toEqual(['status/a1.json', 'status/a2.json', 'status/b1.json']);
    // And the fold reaches the sites' mirrors through the chain (top mirror, then each site's fetch).
    const head = remote.head()!;
    expect(await waitFor(() => headOf(path.join(sites[1]!, 'fleet.git')) === head, 20_000, 100)).toBe(true);
  }, 120_000);

  it('a site relay with the wrong parent token starts, but its periods fail and say why without the token', async () => {
    const wrong = spawn(
      process.execPath,
      [BIN, 'relay', '--port', '0', '--parent', topRelay.url, '--token-file', siteTokenFile, '--every', '10m', '--dir', tempDir()],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, GITFLEET_PARENT_RELAY_TOKEN: 'not-the-token' },
      },
    );
    relays.push({ child: wrong, url: '', output: () => '', exited: Promise.resolve(null) });
    let out = '';
    wrong.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    wrong.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    // It starts (the site keeps its inbox) but its period fails and says why, without the token.
    expect(await waitFor(() => /relay\.tick-failed/.test(out), 20_000, 50), out).toBe(true);
    expect(out).not.toContain('not-the-token');
    expect(out).not.toContain(TOP_TOKEN);
  }, 60_000);
});
