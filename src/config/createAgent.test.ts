import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../tests/helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { emptyState } from '../agent/AgentState.js';
import { simulatedCollector } from '../status/simulatedCollector.js';
import { silentLogger } from '../util/logger.js';
import { createAgent, type CreateAgentOptions } from './createAgent.js';
import { resolveAgentConfig } from './resolveAgentConfig.js';
import type { LocalConfig } from '../schema/types.js';

const KINDS = { build: { argv: ['make', '{target}'], params: { target: { pattern: '[a-z]+' } } }, test: { argv: ['npm', 'test'] } };

// Nothing here reaches the remote: building an agent reads and writes nothing yet.
function options(local: LocalConfig, mode: CreateAgentOptions['mode'], once = mode === 'once'): CreateAgentOptions {
  const dir = tempDir();
  const url = path.join(dir, 'never-contacted.git');
  return {
    server: 'build-01',
    store: openStore({ url, cacheDir: path.join(dir, 'cache') }),
    remoteUrl: url,
    logger: silentLogger,
    collector: simulatedCollector('build-01'),
    mode,
    once,
    stateFile: path.join(dir, 'state.json'),
    config: resolveAgentConfig(local, dir, dir),
  };
}

describe('createAgent', () => {
  afterAll(() => cleanupTempDirs());

  it('a daemon with job kinds gets a job runner with the configured slots, kinds and poll interval', () => {
    const { agent, jobs } = createAgent(options({ jobs: { kinds: KINDS, slots: 3, pollSeconds: 2 } }, 'daemon'));
    expect(agent.server).toBe('build-01');
    expect(jobs?.runner.slots).toBe(3);
    expect(jobs?.runner.kinds).toEqual(['build', 'test']);
    expect(jobs?.pollMs).toBe(2000);
  });

  it.each([
    ['a run from a scheduler (once), even with job kinds', { jobs: { kinds: KINDS, slots: 2 } }, 'once', true],
    ['a simulated run from a scheduler (once --simulate)', { jobs: { kinds: KINDS, slots: 2 } }, 'simulated', true],
    ['a daemon without job kinds', { jobs: { slots: 2 } }, 'daemon', false],
    ['a daemon with no slots', { jobs: { kinds: KINDS, slots: 0 } }, 'daemon', false],
  ] as const)('%s runs no jobs', (_, local, mode, once) => {
    expect(createAgent(options(local as LocalConfig, mode, once)).jobs).toBeUndefined();
  });

  it('a simulated daemon runs jobs like a real one', () => {
    expect(createAgent(options({ jobs: { kinds: KINDS } }, 'simulated')).jobs?.runner.slots).toBe(1);
  });

  it('refuses a bad job kind in every mode, also when it would run no jobs', () => {
    const bad = { jobs: { kinds: { evil: { argv: ['{program}'] } } } };
    expect(() => createAgent(options(bad, 'once'))).toThrow(/job kind evil: the program \(argv\[0\]\) cannot come from a parameter/);
    expect(() => createAgent(options(bad, 'daemon'))).toThrow(/job kind evil/);
  });

  it('the agent reads the fleet settings it saw last, from its state file, before its first cycle', async () => {
    const o = options({ jobs: { kinds: KINDS } }, 'daemon');
    writeFileSync(
      o.stateFile,
      JSON.stringify({
        ...emptyState('build-01'),
        fleet: { settings: { schemaVersion: 1, heartbeat: { periodSeconds: 240 } }, size: 4, seenAt: Date.now() - 1000 },
      }),
    );
    const { agent } = createAgent(o);
    expect((await agent.settings()).heartbeat.periodSeconds).toBe(240);
    expect(await agent.periodSeconds()).toBe(240);
  });
});
