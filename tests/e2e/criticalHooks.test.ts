import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/Agent.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeMessage } from '../../src/messages/composeMessage.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { simulatedCollector } from '../../src/status/simulatedCollector.js';
import { silentLogger } from '../../src/util/logger.js';
import { waitFor } from '../helpers/jobFleet.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { fileAt } from '../helpers/removeFiles.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

describe('critical-message hooks run off the heartbeat path, a few per cycle', () => {
  let remote: FleetRemote;
  beforeAll(async () => {
    remote = await startFleetRemote();
    await openStore({ url: remote.httpUrl }).transact('init', initFleetPlan({ name: 'hooks' }), { createBranch: true });
  }, 30_000);
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('50 critical messages at once: the status commit does not wait for the hooks, at most 4 start per cycle, each runs once', async () => {
    const dir = tempDir();
    const started = path.join(dir, 'started');
    const done = path.join(dir, 'done');
    const release = path.join(dir, 'release');
    const hook = path.join(dir, 'hook.sh');
    // Each run says it started, then blocks until the test releases it (a hook that hangs).
    writeFileSync(hook, `#!/bin/sh\necho "$1" >> ${started}\nwhile [ ! -f ${release} ]; do sleep 0.05; done\necho "$1" >> ${done}\n`);
    chmodSync(hook, 0o755);
    const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
    const agent = new Agent({
      server: 'hooked-01',
      store: openStore({ url: remote.httpUrl, cacheDir: path.join(dir, 'cache') }),
      collector: simulatedCollector('hooked-01'),
      logger: silentLogger,
      mode: 'simulated',
      stateFile: path.join(dir, 'state.json'),
      remoteUrl: remote.httpUrl,
      onCriticalMessage: [hook, '{id}'],
      hooksPerCycle: 4,
      hookTimeoutMs: 300_000,
    });
    await agent.cycle({ force: true, reason: 'first' });

    const messages = Array.from({ length: 50 }, (_, i) => composeMessage({ from: 'op:alice', to: 'hooked-01', subject: `alarm ${i}`, priority: 'critical' }));
    await openStore({ url: remote.httpUrl }).transact('burst', () => messages.reduce((c, m) => c.put('message', m), new ChangeSet()));

    // Every hook blocks, yet the cycle publishes and records all 50 deliveries.
    const report = await agent.cycle({ force: true, reason: 'burst' });
    expect(report.pushed).toBe(true);
    const receipts = JSON.parse(fileAt(remote.bareDir, 'messages/receipts/hooked-01.json')!.toString()) as { delivered: Record<string, string> };
    expect(Object.keys(receipts.delivered)).toHaveLength(50);
    expect(await waitFor(() => lines(started).length === 4, 60_000, 50)).toBe(true);
    expect(agent.hooks!.started).toBe(4);
    expect(agent.hooks!.waiting).toBe(46);

    // While they still run, another cycle starts none (at most 4 at once) and still publishes.
    expect((await agent.cycle({ force: true, reason: 'while hooks run' })).pushed).toBe(true);
    expect(agent.hooks!.started).toBe(4);

    writeFileSync(release, '');
    expect(await waitFor(() => lines(done).length === 4 && agent.hooks!.running === 0, 60_000, 50)).toBe(true);
    await agent.cycle({ force: true, reason: 'next' });
    expect(agent.hooks!.started).toBe(8);

    await agent.settleHooks({ all: true });
    expect(lines(done).sort()).toEqual(messages.map((m) => m.id).sort());
    // A later cycle delivers nothing again and runs no hook twice.
    await agent.cycle({ force: true, reason: 'after' });
    await agent.settleHooks({ all: true });
    expect(lines(started)).toHaveLength(50);
  }, 180_000);
});
