import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBareRepo } from '../git/server/createBareRepo.js';
import type { ServerStatus } from '../schema/types.js';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { buildStatusRecord } from '../status/buildStatusRecord.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';
import { headOf } from '../../tests/helpers/fleetRemote.js';
import { hostSample } from '../../tests/helpers/hostSample.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { Relay, type RelayInboxEntry } from './Relay.js';

function statusOf(server: string, seq: number): ServerStatus {
  return buildStatusRecord({
    server,
    seq,
    mode: 'daemon',
    labels: [],
    capabilities: [],
    draining: false,
    runningJobs: [],
    periodSeconds: 60,
    slotSeconds: 10,
    history: [],
    availability: { pct24h: 100, pct7d: 100 },
    settings: resolveFleetSettings(null),
    sample: hostSample({ at: Date.now() }),
  });
}

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

/** A relay over a real upstream (a bare repository) and an inbox held in memory. */
describe('Relay.tick', () => {
  let bare: string;
  let upstream: Store;
  let inbox: RelayInboxEntry[] = [];
  const mirrored: string[] = [];
  const warnings: string[] = [];
  const logger: Logger = { debug: () => undefined, info: () => undefined, warn: (e, f) => warnings.push(`${e} ${f?.server}`), error: () => undefined };
  let relay: Relay;

  beforeAll(async () => {
    bare = path.join(tempDir('gitfleet-relay-up-'), 'fleet.git');
    await createBareRepo(bare);
    upstream = openStore({ url: bare, actor: 'op:relay-test' });
    await upstream.transact('init', initFleetPlan({ name: 'relay' }), { createBranch: true });
    relay = new Relay({
      upstream,
      actor: 'op:relay-test',
      logger,
      inbox: { read: async () => inbox, mirror: async (head) => void mirrored.push(head) },
    });
  }, 30_000);
  afterAll(async () => {
    await upstream?.close();
    cleanupTempDirs();
  });

  it('folds the valid heartbeats in one commit, refuses the bad ones once, and mirrors the head it landed on', async () => {
    const before = headOf(bare)!;
    inbox = [
      { server: 'a', commit: 'c1'.padEnd(40, '0'), content: bytes(statusOf('a', 1)) },
      { server: 'b', commit: 'c2'.padEnd(40, '0'), content: bytes(statusOf('b', 3)) },
      { server: 'x', commit: 'c3'.padEnd(40, '0'), content: bytes(statusOf('a', 9)) },
      { server: 'y', commit: 'c4'.padEnd(40, '0'), content: bytes('{"server": ') },
      { server: 'z', commit: 'c5'.padEnd(40, '0'), content: null, reason: 'its commit holds no status/z.json' },
    ];
    const report = await relay.tick();
    expect(report.result).toBe('committed');
    expect(report.written.sort()).toEqual(['a', 'b']);
    expect(report.refused.map((r) => r.server).sort()).toEqual(['x', 'y', 'z']);
    expect(report.refused.find((r) => r.server === 'x')?.reason).toMatch(/does not match the file name/);
    expect(headOf(bare)).not.toBe(before);
    expect(mirrored.at(-1)).toBe(headOf(bare));
    expect(warnings.filter((w) => w.startsWith('relay.refused')).sort()).toEqual(['relay.refused x', 'relay.refused y', 'relay.refused z']);
  });

  it('pushes nothing when no inbox ref changed (but still mirrors the upstream), and logs a refusal only once', async () => {
    const before = headOf(bare)!;
    const report = await relay.tick();
    expect(report).toMatchObject({ pending: 0, result: 'none', refused: [] });
    expect(headOf(bare)).toBe(before);
    expect(mirrored.at(-1)).toBe(before);
    expect(warnings.filter((w) => w.startsWith('relay.refused'))).toHaveLength(3);
  });

  it('a restarted relay re-reads its whole inbox and writes nothing the upstream already holds', async () => {
    const fresh = new Relay({ upstream, actor: 'op:relay-test', logger, inbox: { read: async () => inbox, mirror: async () => undefined } });
    const before = headOf(bare)!;
    const report = await fresh.tick();
    expect(report.result).toBe('unchanged');
    expect(headOf(bare)).toBe(before);
    inbox[0] = { server: 'a', commit: 'c6'.padEnd(40, '0'), content: bytes(statusOf('a', 2)) };
    expect((await fresh.tick()).written).toEqual(['a']);
  });
});

/** A site relay in a chain: its parent is another relay (held in memory here). */
describe('Relay.tick with a parent relay', () => {
  const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  let inbox: RelayInboxEntry[] = [];
  let parentDown = false;
  const forwarded: { server: string; content: string }[][] = [];
  const parent = {
    forward: async (items: readonly { server: string; content: Uint8Array }[]) => {
      if (parentDown) throw new Error('the parent relay is unreachable');
      forwarded.push(items.map((i) => ({ server: i.server, content: new TextDecoder().decode(i.content) })));
      return 1;
    },
    refreshMirror: async () => {
      if (parentDown) throw new Error('the parent relay is unreachable');
      return 'f'.repeat(40);
    },
  };
  const relay = new Relay({ parent, actor: 'op:relay-child', logger, inbox: { read: async () => inbox, mirror: async () => undefined } });

  it('forwards the valid new records byte for byte in one call, refuses the bad ones, and reports the head it mirrored', async () => {
    const a = JSON.stringify(statusOf('a', 1));
    inbox = [
      { server: 'a', commit: 'd1'.padEnd(40, '0'), content: bytes(a) },
      { server: 'b', commit: 'd2'.padEnd(40, '0'), content: bytes(statusOf('b', 4)) },
      { server: 'x', commit: 'd3'.padEnd(40, '0'), content: bytes(statusOf('a', 9)) },
    ];
    const report = await relay.tick();
    expect(report).toMatchObject({ result: 'forwarded', pending: 2, head: 'f'.repeat(40) });
    expect(report.refused.map((r) => r.server)).toEqual(['x']);
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]!.map((f) => f.server)).toEqual(['a', 'b']);
    expect(forwarded[0]![0]!.content).toBe(a);
  });

  it('keeps what the dead parent did not take and forwards it when the parent is back; nothing twice', async () => {
    inbox[0] = { server: 'a', commit: 'd4'.padEnd(40, '0'), content: bytes(statusOf('a', 2)) };
    parentDown = true;
    await expect(relay.tick()).rejects.toThrow(/unreachable/);
    parentDown = false;
    const report = await relay.tick();
    expect(report.written).toEqual(['a']);
    expect(forwarded.at(-1)!.map((f) => f.server)).toEqual(['a']);
    expect((await relay.tick()).result).toBe('none');
  });

  it('refuses to be built with both an upstream and a parent, or neither', () => {
    expect(() => new Relay({ actor: 'op:r', logger, inbox: { read: async () => [], mirror: async () => undefined } })).toThrow(/exactly one/);
  });
});
