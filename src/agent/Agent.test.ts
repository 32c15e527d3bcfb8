import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetRemote, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import type { HostSample } from '../status/Collector.js';
import { slotAtOrBefore } from '../status/heartbeatSchedule.js';
import { createLogger } from '../util/logger.js';
import { composeMessage } from '../messages/composeMessage.js';
import { sendMessagePlan } from '../messages/sendMessagePlan.js';
import { Agent, type AgentOptions } from './Agent.js';
import { hostSample } from '../../tests/helpers/hostSample.js';

const GiB = 1024 ** 3;
const PERIOD = 60_000;

describe('Agent (fake clock, real git remote)', () => {
  let remote: FleetRemote;
  beforeAll(async () => {
    remote = await startFleetRemote();
    // No adaptive stretching: the fleet budget is generous, the period is 60 s.
    await openStore({ url: remote.httpUrl }).transact('init', initFleetPlan({ pushBudget: { pushesPerMinute: 600 } }), { createBranch: true });
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  let servers = 0;
  function setup(extra: Partial<AgentOptions> = {}) {
    const dir = tempDir();
    const server = `web-${String(++servers).padStart(2, '0')}`;
    let clock = slotAtOrBefore(Date.now(), server, PERIOD) + 1_000;
    let cpu = 20;
    const logs: string[] = [];
    const store = openStore({ url: remote.httpUrl, cacheDir: path.join(dir, 'cache'), networkRetries: 0, freshForMs: 0 });
    const make = () =>
      new Agent({
        server,
        store,
        mode: 'daemon',
        stateFile: path.join(dir, 'state.json'),
        remoteUrl: remote.httpUrl,
        labels: ['web'],
        logger: createLogger({ level: 'debug', write: (l) => logs.push(l) }),
        now: () => clock,
        collector: {
          sample: async (): Promise<HostSample> =>
            hostSample({ at: clock, cpuPercent: cpu, disks: [{ mount: '/', total: 100 * GiB, used: 30 * GiB }], uptimeSeconds: 1000 }),
        },
        ...extra,
      });
    const agent = make();
    // Events, not log text: the test counts what the agent said happened.
    const events: string[] = [];
    agent.events.onAny((name) => events.push(name));
    return {
      agent,
      make,
      store,
      logs,
      events,
      now: () => clock,
      advance: (ms: number) => (clock += ms),
      setCpu: (n: number) => (cpu = n),
      read: async () => (await openStore({ url: remote.httpUrl }).snapshot()).get('status', server),
    };
  }

  it('publishes at start, at its slot, skips an idle heartbeat, and pushes significant changes at once', async () => {
    const t = setup();
    expect(await t.agent.cycle()).toMatchObject({ pushed: true, reason: 'first report' });
    expect((await t.read())?.seq).toBe(1);
    t.advance(10_000);
    expect(await t.agent.cycle()).toMatchObject({ pushed: false, reason: 'nothing due' });
    t.advance(PERIOD - 10_000);
    expect(await t.agent.cycle()).toMatchObject({ pushed: false, reason: 'idle: heartbeat skipped' });
    t.advance(15_000);
    expect(await t.agent.cycle()).toMatchObject({ pushed: false, reason: 'nothing due' });
    t.advance(PERIOD - 15_000);
    expect(await t.agent.cycle()).toMatchObject({ pushed: true, reason: 'heartbeat' });
    // Metrics that moved make the next heartbeat worth sending even when idle.
    t.setCpu(60);
    t.advance(PERIOD);
    expect(await t.agent.cycle()).toMatchObject({ pushed: true, reason: 'heartbeat' });
    // A change of health is published at once, between slots.
    t.setCpu(99);
    t.advance(5_000);
    expect(await t.agent.cycle()).toMatchObject({ pushed: true, reason: 'health healthy -> failing' });
    const published = await t.read();
    expect(published).toMatchObject({ seq: 4, health: { state: 'failing' }, labels: ['web'] });
    expect(published!.history!.length).toBeGreaterThanOrEqual(4);
  });

  it('keeps its status in the outbox while offline, logs once per state change, and catches up', async () => {
    const t = setup();
    await t.agent.cycle();
    const before = (await t.read())!.seq;
    await remote.server.stop();
    try {
      t.setCpu(99);
      t.advance(1_000);
      expect((await t.agent.cycle()).result?.status).toBe('queued');
      t.advance(PERIOD);
      await t.agent.cycle();
      t.advance(PERIOD);
      await t.agent.cycle();
      expect(t.events.filter((e) => e === 'agent.offline')).toHaveLength(1);
      expect(await t.store.outbox!.list()).toHaveLength(1);
    } finally {
      await remote.server.start();
    }
    t.advance(PERIOD);
    const back = await t.agent.cycle();
    expect(back.pushed).toBe(true);
    expect(t.events.filter((e) => e === 'agent.online')).toHaveLength(1);
    expect(await t.store.outbox!.list()).toEqual([]);
    expect((await t.read())!.seq).toBeGreaterThan(before);
    expect((await t.read())!.health.state).toBe('failing');
  });

  it('delivers the messages its status commit picked up, once', async () => {
    const delivered: string[] = [];
    const t = setup({ onMessages: (messages) => void delivered.push(...messages.map((m) => m.id)) });
    await t.agent.cycle();
    const message = composeMessage({ from: 'op:alice', to: t.agent.server, subject: 'hello', now: t.now() });
    expect((await t.store.transact('send', sendMessagePlan(message))).status).toBe('committed');
    t.advance(1_000);
    expect(await t.agent.cycle({ force: true })).toMatchObject({ pushed: true, reason: 'forced' });
    expect(delivered).toEqual([message.id]);
    const receipts = await (await openStore({ url: remote.httpUrl }).snapshot()).get('receipts', t.agent.server);
    expect(Object.keys(receipts?.delivered ?? {})).toEqual([message.id]);
    t.advance(1_000);
    await t.agent.cycle({ force: true });
    expect(delivered).toEqual([message.id]);
  });

  it('remembers its state across processes: seq keeps growing, history continues', async () => {
    const t = setup();
    await t.agent.cycle();
    const first = (await t.read())!.seq;
    t.advance(PERIOD * 3);
    const second = t.make();
    expect(await second.cycle()).toMatchObject({ pushed: true });
    expect((await t.read())!.seq).toBe(first + 1);
    expect((await t.read())!.history!.length).toBeGreaterThanOrEqual(2);
  });
});
