import { describe, expect, it } from 'vitest';
import { composeMessage } from '../messages/composeMessage.js';
import type { ServerStatus } from '../schema/types.js';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import { isDecision, type Decision } from '../store/Plan.js';
import { buildStatusRecord } from './buildStatusRecord.js';
import { rememberFleet } from './fleetSeen.js';
import { statusPlan, type StatusFindings, type StatusPlanOptions } from './statusPlan.js';
import { memorySnapshot } from '../store/memorySnapshot.js';
import { ReadSet } from '../store/combine/ReadSet.js';
import { hostSample } from '../../tests/helpers/hostSample.js';

/** Files held in memory, read through the same Snapshot code as a git head. */
const snapshotOf = (files: Record<string, string>) => memorySnapshot(files);

const NOW = Date.parse('2026-11-22T12:00:00.000Z');

function statusOf(server: string, seq: number, labels: string[] = ['web']): ServerStatus {
  return buildStatusRecord({
    server,
    seq,
    mode: 'daemon',
    labels,
    capabilities: [],
    draining: false,
    runningJobs: [],
    periodSeconds: 60,
    slotSeconds: 10,
    history: [],
    availability: { pct24h: 100, pct7d: 100 },
    settings: resolveFleetSettings(null),
    sample: hostSample({ at: NOW }),
  });
}

const json = (value: unknown) => JSON.stringify(value);

async function run(status: ServerStatus, files: Record<string, string>, options: StatusPlanOptions = {}): Promise<Decision<StatusFindings>> {
  const out = await statusPlan(status, options)(snapshotOf(files), { attempt: 1, now: new Date(NOW) });
  expect(isDecision(out)).toBe(true);
  return out as Decision<StatusFindings>;
}

const writtenSeq = (d: Decision<StatusFindings>) => (d.changes?.writes.find((w) => w.kind === 'status')?.record as ServerStatus | undefined)?.seq ?? null;

describe('statusPlan: seq orders a server’s reports, not its clock', () => {
  it.each([
    ['a first report keeps its seq', 5, undefined, {}, 5],
    ['a live report after lost local state continues past the repository', 5, 9, {}, 10],
    ['a live report newer than the repository keeps its seq', 5, 3, {}, 5],
    ['a replayed report yields to a newer one already published', 5, 9, { onlyIfNewer: true }, null],
    ['a replayed report yields to an equal one', 5, 5, { onlyIfNewer: true }, null],
    ['a replayed report newer than the repository is written', 5, 3, { onlyIfNewer: true }, 5],
  ] as const)('%s', async (_name, seq, existing, options, expected) => {
    const files: Record<string, string> = existing === undefined ? {} : { 'status/web-01.json': json(statusOf('web-01', existing)) };
    const decision = await run(statusOf('web-01', seq), files, options);
    expect(writtenSeq(decision)).toBe(expected);
    // Written or not, what the snapshot said about the fleet comes back.
    expect(decision.value.fleet).toMatchObject({ size: existing === undefined ? 0 : 1, seenAt: NOW });
  });

  it('replaces its own invalid status (one writer, who regenerates all of it)', async () => {
    const decision = await run(statusOf('web-01', 5), { 'status/web-01.json': '{"schemaVersion": 1' });
    expect(writtenSeq(decision)).toBe(5);
  });
});

describe('statusPlan: what it saw of the fleet is its value', () => {
  const valid = json({ schemaVersion: 1, heartbeat: { periodSeconds: 120 } });
  it.each([
    ['no fleet.json: no settings', {}, { settings: null, size: 0 }],
    ['a valid fleet.json: its settings', { 'fleet.json': valid }, { settings: { heartbeat: { periodSeconds: 120 } }, size: 0 }],
    [
      'an invalid fleet.json: why, and no settings',
      { 'fleet.json': '{"schemaVersion": 1, "heartbeat": ' },
      { settings: null, invalid: expect.any(String), size: 0 },
    ],
    ['the size counts every status file', { 'status/web-02.json': json(statusOf('web-02', 1)), 'status/web-03.json': '{' }, { size: 2 }],
  ] as const)('%s', async (_name, files, expected) => {
    const decision = await run(statusOf('web-01', 1), { ...files });
    expect(decision.value.fleet).toMatchObject(expected);
    if (!('invalid' in expected)) expect(decision.value.fleet).not.toHaveProperty('invalid');
  });
});

describe('rememberFleet: an invalid fleet.json never replaces the last valid settings', () => {
  it.each([
    [
      'a valid fleet.json replaces the settings kept',
      { settings: { schemaVersion: 1 as const }, size: 1, seenAt: 1 },
      { settings: null, size: 3, seenAt: 2 },
      null,
    ],
    [
      'an invalid fleet.json keeps the last valid settings',
      { settings: { schemaVersion: 1 as const }, size: 1, seenAt: 1 },
      { settings: null, invalid: 'bad', size: 3, seenAt: 2 },
      { schemaVersion: 1 },
    ],
    ['an invalid fleet.json with nothing kept: no settings', null, { settings: null, invalid: 'bad', size: 3, seenAt: 2 }, null],
  ] as const)('%s', (_name, previous, seen, settings) => {
    expect(rememberFleet(previous, { ...seen })).toEqual({ settings, size: 3, seenAt: 2 });
  });
});

describe('statusPlan: messages ride on the status commit', () => {
  const inbox = { labels: ['web'], watermark: null, now: NOW };
  const forMe = composeMessage({ from: 'op:alice', to: 'web-01', subject: 'hello', now: NOW - 60_000 });
  const forLabel = composeMessage({ from: 'op:alice', to: 'label:web', subject: 'all web', now: NOW - 30_000 });
  const forOther = composeMessage({ from: 'op:alice', to: 'web-02', subject: 'not mine', now: NOW - 10_000 });
  const messages = Object.fromEntries([forMe, forLabel, forOther].map((m) => [`messages/${m.id}.json`, json(m)]));

  it('picks up what is addressed to it and records the delivery in the same change set', async () => {
    const decision = await run(statusOf('web-01', 1), messages, { inbox });
    expect(decision.value.pickup?.messages.map((m) => m.id)).toEqual([forMe.id, forLabel.id]);
    expect(decision.value.pickup?.watermark).toBe(forOther.id);
    const receipts = decision.changes?.writes.find((w) => w.kind === 'receipts')?.record;
    expect(receipts).toMatchObject({ server: 'web-01', delivered: { [forMe.id]: new Date(NOW).toISOString(), [forLabel.id]: new Date(NOW).toISOString() } });
    expect(writtenSeq(decision)).toBe(1);
  });

  it('reads only exact paths, so a lost heartbeat race can go through the commit queue', async () => {
    const reads = new ReadSet();
    await statusPlan(statusOf('web-01', 1), { inbox })(memorySnapshot({ ...messages, 'status/web-02.json': '{}' }, undefined, reads), {
      attempt: 1,
      now: new Date(NOW),
    });
    expect(reads.foldable).toBe(true);
    expect([...reads.paths].sort()).toEqual(
      ['fleet.json', 'status/web-01.json', 'messages/receipts/web-01.json', ...[forMe, forLabel, forOther].map((m) => `messages/${m.id}.json`)].sort(),
    );
    // A plan that lists records cannot be checked path by path: it retries on its own.
    const listing = new ReadSet();
    await memorySnapshot(messages, undefined, listing).list('message');
    expect(listing.foldable).toBe(false);
  });

  it('without an inbox it picks up nothing and writes no receipts', async () => {
    const decision = await run(statusOf('web-01', 1), messages);
    expect(decision.value.pickup).toBeUndefined();
    expect(decision.changes?.writes.map((w) => w.kind)).toEqual(['status']);
  });

  it('an invalid receipts file blocks delivery and is left alone; the status is still written', async () => {
    const decision = await run(statusOf('web-01', 1), { ...messages, 'messages/receipts/web-01.json': '{"schemaVersion": 1, "server": ' }, { inbox });
    expect(decision.value.pickup).toMatchObject({ messages: [], receipts: null, blocked: expect.stringContaining('invalid') });
    expect(decision.changes?.writes.map((w) => w.kind)).toEqual(['status']);
  });
});
