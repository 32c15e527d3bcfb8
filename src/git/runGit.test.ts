import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from './createBackend.js';
import { parseRemote } from './RemoteSpec.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { runGit } from './runGit.js';

// A git server that accepts the connection and then says nothing: a network command must
// not hang on it forever (a cron agent would pile up), however long a busy transfer may take.
describe('network commands give up on a silent remote', () => {
  let server: net.Server;
  let url: string;
  const held: net.Socket[] = [];
  beforeAll(async () => {
    server = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/fleet.git`;
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    cleanupTempDirs();
  });

  it('runGit kills git once it has been silent for silenceMs', async () => {
    const error = await runGit(['ls-remote', url], {
      cwd: os.tmpdir(),
      env: { ...(process.env as Record<string, string>), GIT_TERMINAL_PROMPT: '0' },
      silenceMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_UNREACHABLE', message: expect.stringMatching(/git ls-remote timed out: nothing from it for/) });
  });

  it('the CLI backend fails its fetch with RemoteUnreachableError after networkTimeoutMs of silence', async () => {
    const backend = createBackend({ kind: 'cli', remote: parseRemote(url), branch: 'main', cacheDir: `${tempDir()}/cache`, networkTimeoutMs: 300 });
    await expect(backend.fetch()).rejects.toMatchObject({ code: 'E_UNREACHABLE' });
    await expect(backend.lsRemote()).rejects.toMatchObject({ code: 'E_UNREACHABLE' });
    await backend.close();
  });
});
