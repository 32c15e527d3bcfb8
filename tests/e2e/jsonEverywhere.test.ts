import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandPaths } from '../helpers/commandPaths.js';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const BIN = path.resolve(import.meta.dirname, '../../dist/gitfleet.js');

/** A server that runs demo.build (an agent --once offers no job kinds): job submit accepts the kind. */
const builder = () => ({
  'status/build-01.json': JSON.stringify({
    schemaVersion: 1,
    server: 'build-01',
    updatedAt: new Date().toISOString(),
    seq: 1,
    health: { state: 'healthy' },
    jobs: { slots: 1, kinds: ['demo.build'] },
  }),
});

/**
 * Issue 13 item 5: every command honours --json. One table, one entry per command of the
 * command table (subcommands included; the test fails if one is missing), each run with
 * --json against a small real fleet; stdout must be one JSON document. `expect` says
 * what the document must be: the command's result, or the JSON error object.
 */
interface Case {
  args: () => string[];
  /** 'result' (exit 0 and not an error object) unless said otherwise. */
  expect?: 'error' | 'any';
  /** Why the command runs on another path than its usual one. */
  why?: string;
}

describe('every command prints JSON with --json', async () => {
  const paths = await commandPaths();
  let remote: FleetRemote;
  let dir: string;
  let messageId = '';
  let jobId = '';
  const env = () => ({ GITFLEET_CACHE_DIR: path.join(dir, 'cache'), GITFLEET_DATA_DIR: path.join(dir, 'data'), GITFLEET_OPERATOR: 'alice' });
  const gitfleet = (args: string[], extra: Record<string, string> = {}) =>
    runGitfleet([...args, '--repo', remote.bareDir], { env: { ...env(), ...extra }, timeoutMs: 120_000 });

  const CASES: Record<string, Case> = {
    status: { args: () => ['status'] },
    msg: { args: () => ['msg'], expect: 'error', why: 'a group: without a subcommand it is a usage error, as JSON' },
    'msg send': { args: () => ['msg', 'send', '--to', 'web-01', '--subject', 'disk check', '--body', 'please look at /var'] },
    'msg list': { args: () => ['msg', 'list'] },
    'msg read': { args: () => ['msg', 'read', messageId, '--server', 'web-01'] },
    'msg show': { args: () => ['msg', 'show', messageId] },
    'msg reply': { args: () => ['msg', 'reply', messageId, '--body', 'done', '--server', 'web-01', '--as-server'] },
    'msg thread': { args: () => ['msg', 'thread', messageId] },
    'msg search': { args: () => ['msg', 'search', 'disk'] },
    'msg ack': { args: () => ['msg', 'ack', messageId, '--server', 'web-01'] },
    'msg archive': { args: () => ['msg', 'archive'] },
    job: { args: () => ['job'], expect: 'error', why: 'a group: without a subcommand it is a usage error, as JSON' },
    'job submit': { args: () => ['job', 'submit', 'demo.build', '-p', 'seconds=1'] },
    'job list': { args: () => ['job', 'list'] },
    'job show': { args: () => ['job', 'show', jobId] },
    'job cancel': { args: () => ['job', 'cancel', jobId] },
    'job retry': { args: () => ['job', 'retry', jobId] },
    'job stats': { args: () => ['job', 'stats'] },
    'job kinds': { args: () => ['job', 'kinds'] },
    agent: {
      args: () => ['agent', '--once', '--now', '--simulate', '--server', 'web-02'],
      why: 'the daemon runs until stopped: --once is the same report, once',
    },
    'agent install': {
      args: () => ['agent', 'install', '--user', '--scheduler', 'cron', '--print', '--server', 'web-01'],
      why: "installing changes this machine's scheduler: --print shows the same plan and changes nothing",
    },
    'agent uninstall': { args: () => ['agent', 'uninstall', '--user'], why: 'nothing is installed under the test\'s data folder: {"removed": null}' },
    coordinator: { args: () => ['coordinator', '--once', '--name', 'coord-test'], why: 'the loop runs until stopped: --once is one tick of it' },
    drain: { args: () => ['drain', 'web-02'] },
    undrain: { args: () => ['undrain', 'web-02'] },
    failover: { args: () => ['failover', 'web-02', '--no-drain'] },
    maintenance: { args: () => ['maintenance', 'web-02', '--for', '1h', '--reason', 'json'] },
    init: { args: () => ['init'] },
    validate: { args: () => ['validate'] },
    doctor: {
      args: () => ['doctor', '--server', 'web-01'],
      expect: 'any',
      why: 'its exit code says whether checks failed (no scheduler here); the report is JSON either way',
    },
    log: { args: () => ['log', '--limit', '5'] },
    import: { args: () => ['import', 'build', '--dry-run'] },
    budget: { args: () => ['budget'] },
    compact: { args: () => ['compact', '--older-than', '1d', '--dry-run'], why: 'compacting force-pushes: --dry-run reports the same without it' },
    notify: { args: () => ['notify', '--dry-run'] },
    snapshot: { args: () => ['snapshot', '--out', path.join(dir, 'snap')] },
    site: { args: () => ['site', '--out', path.join(dir, 'site'), '--github', ''] },
    metrics: { args: () => ['metrics'] },
    serve: {
      args: () => ['serve', '--port', '70000'],
      expect: 'error',
      why: 'serving runs until Ctrl-C: the "serves and prints its url" path is the spawned test below; here its refusal, as JSON',
    },
    relay: {
      args: () => ['relay', '--port', '70000'],
      expect: 'error',
      why: 'a relay runs until Ctrl-C (its run is in relay.test.ts); here its refusal, as JSON',
    },
    start: {
      args: () => ['start', '--once', '--agents', '0', '--port', '0', '--dashboard-port', '0', '--dir', path.join(dir, 'local')],
      why: 'start runs a local fleet until Ctrl-C: --once starts it, prints where it is and stops',
    },
    completion: { args: () => ['completion', 'bash'] },
    // Last: it moves archived records into their shards (every reader above reads both layouts).
    migrate: { args: () => ['migrate'] },
  };

  beforeAll(async () => {
    remote = await startFleetRemote();
    dir = tempDir('gitfleet-json-');
    expect((await gitfleet(['init'])).code).toBe(0);
    plantFiles(remote.bareDir, builder());
    for (const server of ['web-01', 'web-02']) {
      const out = await gitfleet(['agent', '--once', '--now', '--simulate', '--server', server]);
      expect(out.code, out.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('the table covers every command of the command table', () => {
    expect(Object.keys(CASES).sort()).toEqual([...paths].sort());
  });

  // In table order: send before read, submit before show, cancel before retry.
  it.each(Object.keys(CASES))('gitfleet %s --json', async (name) => {
    const c = CASES[name]!;
    const out = await gitfleet([...c.args(), '--json']);
    let doc: unknown;
    expect(
      () => (doc = JSON.parse(out.stdout)),
      `${name}: stdout is not one JSON document:\n${out.stdout.slice(0, 300)}\n${out.stderr.slice(0, 300)}`,
    ).not.toThrow();
    const isError = typeof doc === 'object' && doc !== null && 'error' in doc && Object.keys(doc).length === 1;
    if (c.expect === 'error') {
      expect(isError, out.stdout).toBe(true);
      expect(out.code).toBe(2);
    } else if (c.expect !== 'any') {
      expect(isError, out.stdout).toBe(false);
      expect(out.code, out.stderr).toBe(0);
    }
    if (name === 'msg send') messageId = (doc as { message: { id: string } }).message.id;
    if (name === 'job submit') jobId = (doc as { id: string }).id;
  });

  it('serve prints its url as JSON, then stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', '--repo', remote.bareDir], {
      env: { ...process.env, ...env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const first = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('}')) resolve(stdout);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code} before printing`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(JSON.parse(first)).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+/) });
    expect(stdout.trim()).toBe(first.trim());
  });
});

describe('--json=a,b prints only these fields', () => {
  let remote: FleetRemote;
  let dir: string;
  const gitfleet = (...args: string[]) =>
    runGitfleet([...args, '--repo', remote.bareDir], {
      env: { GITFLEET_CACHE_DIR: path.join(dir, 'cache'), GITFLEET_DATA_DIR: path.join(dir, 'data') },
      timeoutMs: 60_000,
    });

  beforeAll(async () => {
    remote = await startFleetRemote();
    dir = tempDir('gitfleet-fields-');
    expect((await gitfleet('init')).code).toBe(0);
    plantFiles(remote.bareDir, builder());
    expect((await gitfleet('agent', '--once', '--now', '--simulate', '--server', 'web-01')).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('selects fields of each object of a list, and of a single object', async () => {
    const rows = await gitfleet('status', '--json=server,health');
    expect(rows.code, rows.stderr).toBe(0);
    const shown = (JSON.parse(rows.stdout) as { server: string }[]).sort((a, b) => a.server.localeCompare(b.server));
    expect(shown).toEqual([
      { server: 'build-01', health: expect.any(String) },
      { server: 'web-01', health: expect.any(String) },
    ]);
    const drained = await gitfleet('drain', 'web-01', '--json=server');
    expect(JSON.parse(drained.stdout)).toEqual({ server: 'web-01' });
  });

  it('refuses an unknown field with exit 2, naming the available fields', async () => {
    const out = await gitfleet('status', '--json=server,helth');
    expect(out.code).toBe(2);
    const { error } = JSON.parse(out.stdout) as { error: { code: string; message: string; hint: string } };
    expect(error.code).toBe('E_USAGE');
    expect(error.message).toBe('unknown field "helth" for --json');
    expect(error.hint).toMatch(/^available fields: .*\bhealth\b.*\bserver\b/);
  });

  it("knows a command's documented fields even when nothing is listed: a typo fails, an optional field is null", async () => {
    const none = await gitfleet('job', 'list', '--state', 'dead', '--json=id,retryAt');
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout)).toEqual([]);
    const typo = await gitfleet('job', 'list', '--state', 'dead', '--json=idd');
    expect(typo.code).toBe(2);
    expect(JSON.parse(typo.stdout).error.hint).toMatch(/^available fields: .*\bretryAt\b/);
  });

  it('--json before a positional is still a plain --json: `job show --json <id>` shows that job', async () => {
    const submitted = await gitfleet('job', 'submit', 'demo.build', '-p', 'seconds=1', '-p', 'target=t', '--json=id');
    expect(submitted.code, submitted.stderr + submitted.stdout).toBe(0);
    const { id } = JSON.parse(submitted.stdout) as { id: string };
    expect(Object.keys(JSON.parse(submitted.stdout))).toEqual(['id']);
    const shown = await gitfleet('job', 'show', '--json', id);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, kind: 'demo.build', state: 'queued' });
  });
});
