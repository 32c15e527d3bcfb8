import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../tests/helpers/openStore.js';
import { cleanupTempDirs } from '../../tests/helpers/tempDir.js';
import { jsFailureError } from './classifyJsFailure.js';

// A refused connection on the js backend read "cannot reach <url> (TypeError)".
describe('js backend network failures name their cause', () => {
  let closedPort: number;
  beforeAll(async () => {
    // A port that was just free: nothing listens there.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
  });
  afterAll(() => cleanupTempDirs());

  it.each(['127.0.0.1', 'localhost'])('a refused connection to %s reads "connection refused"', async (host) => {
    const url = `http://${host}:${closedPort}/fleet.git`;
    const error = await openStore({ url, backend: 'js', networkRetries: 0 })
      .snapshot()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_UNREACHABLE' });
    expect((error as Error).message).toBe(`cannot reach ${url} (connection refused)`);
  });

  it('finds the code in a nested cause or an AggregateError', () => {
    const nested = Object.assign(new TypeError('fetch failed'), { cause: new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]) });
    expect(jsFailureError(nested, 'fetch', 'R', 'main').message).toBe('cannot reach R (connection refused)');
    const dns = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }) });
    expect(jsFailureError(dns, 'fetch', 'R', 'main').message).toBe('cannot reach R (host not found)');
  });
});
