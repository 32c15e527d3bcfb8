import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, SHUTDOWN } from './postWebhook.js';

// A real listener on 127.0.0.1: the address check must stop the connection, not a mock.
describe('postWebhook', () => {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      req.resume();
      if (req.url === '/hang') return;
      res.writeHead(req.url === '/teapot' ? 418 : 200).end('reply text');
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const post = (url: string, o: { allowPrivateNetworks?: boolean; timeoutMs?: number; signal?: AbortSignal } = {}) =>
    postWebhook(new URL(url), '{}', {
      allowPrivateNetworks: o.allowPrivateNetworks ?? true,
      timeoutMs: o.timeoutMs ?? 30_000,
      signal: o.signal ?? new AbortController().signal,
    });

  it('checks the addresses a name resolves to on the connection itself', async () => {
    const port = new URL(base).port;
    seen.length = 0;
    expect(await post(`http://localhost:${port}/name`, { allowPrivateNetworks: false })).toEqual({ ok: false, error: 'refused address' });
    expect(await post(`http://127.0.0.1:${port}/literal`, { allowPrivateNetworks: false })).toEqual({ ok: false, error: 'refused address' });
    expect(seen).toEqual([]);
    expect(await post(`http://localhost:${port}/name`)).toMatchObject({ ok: true, status: 200 });
  });

  it('reports a fixed category, never the reply', async () => {
    expect(await post(`${base}/ok`)).toEqual({ ok: true, status: 200 });
    expect(await post(`${base}/teapot`)).toEqual({ ok: false, status: 418, error: 'HTTP 418' });
    expect(await post(`${base}/hang`, { timeoutMs: 200 })).toEqual({ ok: false, error: 'timeout' });
    const stop = new AbortController();
    const pending = post(`${base}/hang`, { signal: stop.signal });
    stop.abort(SHUTDOWN);
    expect(await pending).toEqual({ ok: false, error: 'aborted' });
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await post(`http://127.0.0.1:${port}/`)).toEqual({ ok: false, error: 'connection refused' });
  });
});
