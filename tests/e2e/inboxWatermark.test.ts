import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMessage } from '../../src/messages/composeMessage.js';
import { sendMessagePlan } from '../../src/messages/sendMessagePlan.js';
import { newId } from '../../src/util/ids.js';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { fileAt, removeFiles } from '../helpers/removeFiles.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const FAR = Date.parse('9999-01-01T00:00:00.000Z');

describe('inbox watermark: a far-future message id cannot stop delivery (agent --once, real processes)', () => {
  let remote: FleetRemote;
  let work: string;
  let env: Record<string, string>;
  let hookOut: string;
  const agent = () => runGitfleet(['agent', '--once', '--now', '--server', 'srv-01', '--config', path.join(work, 'gitfleet.config.json')], { env });
  const send = async (subject: string) => {
    const m = composeMessage({ from: 'op:alice', to: 'srv-01', subject, priority: 'critical' });
    await openStore({ url: remote.httpUrl }).transact('send', sendMessagePlan(m, { force: true }));
    return m.id;
  };
  const delivered = () =>
    Object.keys((JSON.parse(fileAt(remote.bareDir, 'messages/receipts/srv-01.json')?.toString() ?? '{}') as { delivered?: object }).delivered ?? {});
  const hookRuns = () => (existsSync(hookOut) ? readFileSync(hookOut, 'utf8').trim().split('\n') : []);

  beforeAll(async () => {
    remote = await startFleetRemote();
    work = tempDir();
    hookOut = path.join(work, 'hook.out');
    const hook = path.join(work, 'hook.sh');
    writeFileSync(hook, `#!/bin/sh\nprintf '%s\\n' "$1" >> ${hookOut}\n`);
    chmodSync(hook, 0o755);
    writeFileSync(path.join(work, 'gitfleet.config.json'), JSON.stringify({ agent: { onCriticalMessage: [hook, '{subject}'] } }));
    env = { GITFLEET_REPO: remote.httpUrl, GITFLEET_CACHE_DIR: path.join(work, 'cache'), GITFLEET_DATA_DIR: path.join(work, 'data') };
    expect((await runGitfleet(['init'], { env })).code).toBe(0);
    expect((await agent()).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('delivers a normal message after far-future files were planted, after they were deleted, and with a far-future saved watermark', async () => {
    // An invalid file and a valid message, both with ids in the year 9999.
    const future = composeMessage({ from: 'op:mallory', to: 'web-99', subject: 'from the future', now: FAR });
    const poisoned = [`messages/${newId(FAR + 1)}.json`, `messages/${future.id}.json`];
    plantFiles(remote.bareDir, { [poisoned[0]!]: '{"not": "a message"}', [poisoned[1]!]: JSON.stringify(future) });
    expect((await agent()).code).toBe(0);

    const first = await send('after the poison');
    expect((await agent()).code).toBe(0);
    expect(delivered()).toContain(first);
    expect(hookRuns()).toEqual(['after the poison']);

    removeFiles(remote.bareDir, poisoned);
    const second = await send('after the poison was removed');
    expect((await agent()).code).toBe(0);
    expect(delivered()).toContain(second);
    expect(hookRuns()).toEqual(['after the poison', 'after the poison was removed']);

    // A state file that already holds a far-future watermark (an earlier, unfixed run).
    const stateDir = path.join(work, 'data', 'agent');
    const stateFile = path.join(stateDir, readdirSync(stateDir).find((f) => f.endsWith('-srv-01.json'))!);
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(stateFile, JSON.stringify({ ...state, inboxWatermark: newId(FAR + 2) }));
    const third = await send('with a poisoned state file');
    expect((await agent()).code).toBe(0);
    expect(delivered()).toContain(third);
    expect(hookRuns()).toEqual(['after the poison', 'after the poison was removed', 'with a poisoned state file']);
    expect((JSON.parse(readFileSync(stateFile, 'utf8')) as { inboxWatermark: string }).inboxWatermark <= newId(Date.now() + 10 * 60_000)).toBe(true);
  }, 180_000);
});
