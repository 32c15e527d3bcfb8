import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsBackend } from '../../src/git/JsBackend.js';
import { parseRemote } from '../../src/git/RemoteSpec.js';
import { type FleetRemote, plantFiles, startFleetRemote } from '../helpers/fleetRemote.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

// isomorphic-git's listServerRefs wrote "Git-Protocol: version=2" into the js backend's
// own headers object: after one lsRemote (an agent measures latency with it, doctor
// reads with it) every fetch of that backend failed with "reading 'size'".
describe('the js backend after lsRemote', () => {
  let remote: FleetRemote;
  beforeAll(async () => {
    remote = await startFleetRemote({ auth: { username: 'x-access-token', password: 'tok-ls-remote' } });
    plantFiles(remote.bareDir, { 'fleet.json': '{"schemaVersion":1}' });
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('still fetches, and probes push rights without changing the branch', async () => {
    const backend = new JsBackend({
      remote: parseRemote(remote.httpUrl, 'tok-ls-remote'),
      branch: 'main',
      cacheDir: path.join(tempDir('gitfleet-js-ls-'), 'cache'),
    });
    const head = remote.head();
    expect(await backend.lsRemote()).toBe(head);
    expect(await backend.fetch()).toBe(head);
    await backend.probePush();
    expect(await backend.lsRemote()).toBe(head);
    expect(await backend.fetch()).toBe(head);
    expect(remote.head()).toBe(head);
    await backend.close();
  });
});
