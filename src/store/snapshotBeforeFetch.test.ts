import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetRemote, headOf, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { abandonEarlyFetches, startEarlyFetch } from '../git/earlyFetch.js';
import { parseRemote } from '../git/RemoteSpec.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { ChangeSet } from './ChangeSet.js';

const statusOf = (seq: number) => ({
  schemaVersion: 1 as const,
  server: 'web-1',
  updatedAt: new Date().toISOString(),
  seq,
  health: { state: 'healthy' as const },
});

/**
 * A TCP relay to the fleet's git server that holds new connections until opened: a fetch
 * through it is under way for as long as the test wants.
 */
async function gate(target: string): Promise<{ url: string; connected: Promise<void>; open: () => void; close: () => void }> {
  const { hostname, port } = new URL(target);
  let opened = false;
  const held: (() => void)[] = [];
  const sockets: net.Socket[] = [];
  let connected!: () => void;
  const first = new Promise<void>((resolve) => (connected = resolve));
  const server = net.createServer((client) => {
    sockets.push(client);
    client.pause();
    const relay = () => {
      const upstream = net.connect(Number(port), hostname, () => {
        client.pipe(upstream).pipe(client);
        client.resume();
      });
      sockets.push(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    };
    if (opened) relay();
    else held.push(relay);
    connected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const local = new URL(target);
  local.port = String((server.address() as net.AddressInfo).port);
  return {
    url: local.toString(),
    connected: first,
    open: () => {
      opened = true;
      for (const relay of held.splice(0)) relay();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

// `status` reads what the cache held while its early fetch runs (Store.snapshotBeforeFetch),
// so that records unchanged since are parsed by the time the fetch ends. What it shows must
// still be the fetched head, never the earlier one.
describe('Store.snapshotBeforeFetch', () => {
  let remote: FleetRemote;

  beforeAll(async () => {
    remote = await startFleetRemote();
    await openStore({ url: remote.httpUrl }).transact('init', initFleetPlan(), { createBranch: true });
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('reads the head the cache held while the fetch runs, and the snapshot after it is the fetched head', async () => {
    const writer = openStore({ url: remote.httpUrl });
    await writer.transact('one', () => new ChangeSet().put('status', statusOf(1)));
    const relay = await gate(remote.httpUrl);
    const cacheDir = path.join(tempDir('gitfleet-before-fetch-'), 'cache');
    const reader = openStore({ url: relay.url, cacheDir, freshForMs: 0 });
    try {
      relay.open();
      const held = (await reader.snapshot()).commit;
      // The remote moves on, from another cache; the reader's next fetch is held at the relay.
      await writer.transact('two', () => new ChangeSet().put('status', statusOf(2)));
      const relayed = await gate(remote.httpUrl);
      const slow = openStore({ url: relayed.url, cacheDir, freshForMs: 0 });
      try {
        startEarlyFetch({ cacheDir, remote: parseRemote(relayed.url), branch: 'main', networkTimeoutMs: 60_000 });
        await relayed.connected;
        const before = await slow.snapshotBeforeFetch();
        expect(before?.commit).toBe(held);
        expect((await before!.list('status')).records.map((r) => r.seq)).toEqual([1]);
        const fresh = slow.snapshot();
        relayed.open();
        const after = await fresh;
        expect(after.commit).toBe(headOf(remote.bareDir));
        expect(after.commit).not.toBe(held);
        expect((await after.list('status')).records.map((r) => r.seq)).toEqual([2]);
        // Once the early fetch is over, nothing is read without the lock.
        expect(await slow.snapshotBeforeFetch()).toBeNull();
      } finally {
        await abandonEarlyFetches();
        await slow.close();
        relayed.close();
      }
    } finally {
      await reader.close();
      await writer.close();
      relay.close();
    }
  });

  it('stops its reads when the store closes: a command that failed does not wait for them', async () => {
    const relayed = await gate(remote.httpUrl);
    const cacheDir = path.join(tempDir('gitfleet-before-fetch-'), 'cache');
    const warm = openStore({ url: remote.httpUrl, cacheDir, freshForMs: 0 });
    await warm.snapshot();
    await warm.close();
    const store = openStore({ url: relayed.url, cacheDir, freshForMs: 0 });
    try {
      startEarlyFetch({ cacheDir, remote: parseRemote(relayed.url), branch: 'main', networkTimeoutMs: 60_000 });
      await relayed.connected;
      const before = await store.snapshotBeforeFetch();
      expect(before).not.toBeNull();
      await store.close();
      await expect(before!.list('status')).rejects.toThrow(/closed/);
    } finally {
      await abandonEarlyFetches();
      relayed.close();
    }
  });
});
