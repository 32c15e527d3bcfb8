import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetRemote, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { hostSample } from '../../tests/helpers/hostSample.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { createStore } from '../config/createStore.js';
import type { Fleet } from '../config/openFleet.js';
import { RELAY_USERNAME, type RunningRelay, startRelay } from '../config/startRelay.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { silentLogger } from '../util/logger.js';
import { Agent } from './Agent.js';
import type { JobRunner } from './JobRunner.js';

const TOKEN = 'unit-relay-token';

/** An agent behind a real relay (its loop not running: the test folds with tick()). */
describe('Agent behind a relay', () => {
  let remote: FleetRemote;
  let relay: RunningRelay;
  beforeAll(async () => {
    remote = await startFleetRemote();
    await openStore({ url: remote.httpUrl }).transact('init', initFleetPlan({ name: 'unit' }), { createBranch: true });
    const cacheDir = path.join(tempDir(), 'relay-cache');
    const store = createStore({ remote: remote.httpUrl, cacheDir, actor: 'op:relay-unit' });
    const fleet = {
      config: undefined as never,
      remote: { url: remote.httpUrl, protocol: 'http' },
      store,
      cacheDir,
      close: () => store.close(),
    } satisfies Fleet;
    // A period far longer than the test: only the explicit ticks fold.
    relay = await startRelay({
      fleet,
      dir: tempDir(),
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      periodMs: 600_000,
      logger: silentLogger,
      actor: 'op:relay-unit',
    });
  }, 30_000);
  afterAll(async () => {
    await relay?.stop();
    await remote?.close();
    cleanupTempDirs();
  });

  it("moves the job runner's push clock only when the mirror shows a relayed heartbeat folded", async () => {
    const dir = tempDir();
    const pushedAt: number[] = [];
    const jobs = { running: () => [], slots: 1, kinds: [], kindParams: {}, notePushed: (at: number) => pushedAt.push(at) } as unknown as JobRunner;
    let clock = Date.now();
    const link = createStore({
      remote: relay.url,
      token: TOKEN,
      username: RELAY_USERNAME,
      cacheDir: path.join(dir, 'link'),
      pushRef: 'refs/relay/inbox/r1',
      actor: 'r1',
      freshForMs: 0,
    });
    const agent = new Agent({
      server: 'r1',
      store: openStore({ url: remote.httpUrl, cacheDir: path.join(dir, 'cache') }),
      relay: link,
      jobs,
      mode: 'daemon',
      stateFile: path.join(dir, 'state.json'),
      remoteUrl: remote.httpUrl,
      logger: silentLogger,
      now: () => clock,
      collector: { sample: async () => hostSample({ at: clock }) },
    });
    const first = clock;
    expect(await agent.cycle({ force: true })).toMatchObject({ pushed: true, via: 'relay' });
    expect(pushedAt).toEqual([]);
    // Folded and mirrored: the next relayed heartbeat sees it there and says when it was sent.
    expect((await relay.relay.tick()).written).toEqual(['r1']);
    clock += 30_000;
    expect(await agent.cycle({ force: true })).toMatchObject({ pushed: true, via: 'relay' });
    expect(pushedAt).toEqual([first]);
    // Not folded yet: nothing new for the clock.
    clock += 30_000;
    await agent.cycle({ force: true });
    expect(pushedAt).toEqual([first]);
    await link.close();
  }, 60_000);
});
