import net from 'node:net';

/**
 * Sends raw bytes to host:port and resolves with whatever came back once the server
 * closes the connection (or after `boundMs`, a bound against a hung case, not a timing
 * assertion). Raw, because Node's own HTTP client refuses to send malformed requests.
 */
export function rawRequest(port: number, bytes: Buffer | string, boundMs = 20_000, { halfClose = true } = {}): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => socket.destroy(), boundMs);
    socket.on('connect', () => {
      socket.write(bytes);
      // Half-closing says "no more requests"; a server that answers asynchronously may
      // take that as the end of the conversation, so a caller can keep it open instead
      // (and send Connection: close).
      if (halfClose) socket.end();
    });
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

/** The status code of a raw HTTP answer, or 0 when there was none. */
export function rawStatus(answer: string): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
}
