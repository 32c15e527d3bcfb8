import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import type { FleetSettings } from '../schema/types.js';
import { createLogger } from '../util/logger.js';
import { AgentMemory } from './AgentMemory.js';
import { emptyState } from './AgentState.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');

function memoryWith(settings: FleetSettings | null) {
  const file = path.join(tempDir(), 'state.json');
  writeFileSync(file, JSON.stringify({ ...emptyState('web-01'), fleet: settings ? { settings, size: 3, seenAt: NOW - 1000 } : null }));
  const logs: string[] = [];
  const memory = new AgentMemory({
    file,
    server: 'web-01',
    remoteUrl: 'https://example.com/fleet.git',
    logger: createLogger({ level: 'debug', format: 'json', write: (l) => logs.push(l) }),
    now: () => NOW,
  });
  return { file, memory, logs };
}

describe('AgentMemory: the agent state shared by the agent and its job runner', () => {
  afterAll(() => cleanupTempDirs());

  it('gives the fleet settings the agent saw last (from its state file), before any cycle', async () => {
    const { memory } = memoryWith({ schemaVersion: 1, heartbeat: { periodSeconds: 120 }, jobs: { defaultMaxAttempts: 7 } });
    const settings = await memory.fleetSettings();
    expect(settings.heartbeat.periodSeconds).toBe(120);
    expect(settings.jobs.defaultMaxAttempts).toBe(7);
  });

  it('gives the defaults when the agent has seen no fleet.json yet', async () => {
    const { memory } = memoryWith(null);
    expect((await memory.fleetSettings()).heartbeat.periodSeconds).toBe(60);
  });

  it('loads the file once: what the agent changes in the state, the runner sees', async () => {
    const { memory } = memoryWith(null);
    const state = await memory.load();
    expect(await memory.load()).toBe(state);
    state.fleet = { settings: { schemaVersion: 1, heartbeat: { periodSeconds: 300 } }, size: 1, seenAt: NOW };
    expect((await memory.fleetSettings()).heartbeat.periodSeconds).toBe(300);
  });

  it('says a clamped setting once, however often the settings are read', async () => {
    const { memory, logs } = memoryWith({ schemaVersion: 1, heartbeat: { periodSeconds: 1 } });
    const said: string[] = [];
    memory.events.on('fleet.setting-clamped', (e) => said.push(e.reason));
    await memory.fleetSettings();
    await memory.fleetSettings();
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('heartbeat.periodSeconds 1 is outside');
    // The logger is one subscriber: one warning line.
    expect(logs.filter((l) => l.includes('fleet.setting-clamped'))).toHaveLength(1);
  });

  it('saves the shared state to its file', async () => {
    const { file, memory } = memoryWith(null);
    (await memory.load()).seq = 41;
    await memory.save();
    expect(JSON.parse(readFileSync(file, 'utf8')).seq).toBe(41);
  });
});
