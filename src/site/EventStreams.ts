import type http from 'node:http';

export interface EventStreamsOptions {
  /** Open streams at most; each holds a socket for as long as a browser tab is open. */
  max: number;
  /** Open streams per client address at most, so that one client cannot take them all. */
  maxPerAddress?: number;
  /** A comment this often keeps proxies and browsers from dropping an idle stream. */
  keepaliveMs: number;
}

/**
 * The open server-sent event streams of the dashboard server: opening one (within a
 * bound), sending an event to all, keepalive comments, and ending them all on stop.
 */
export class EventStreams {
  readonly #open = new Set<http.ServerResponse>();
  readonly #perAddress = new Map<string, number>();
  #keepalive: NodeJS.Timeout | undefined;

  constructor(private readonly options: EventStreamsOptions) {}

  get size(): number {
    return this.#open.size;
  }

  /** Starts an event stream on `res`, or returns false (having answered 503) when too many are open. */
  open(res: http.ServerResponse, headers: Record<string, string>, first?: string, address = ''): boolean {
    const fromAddress = this.#perAddress.get(address) ?? 0;
    if (this.#open.size >= this.options.max || fromAddress >= (this.options.maxPerAddress ?? Infinity)) {
      res.writeHead(503, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '30' });
      res.end('too many open event streams\n');
      return false;
    }
    this.#perAddress.set(address, fromAddress + 1);
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // Reverse proxies (nginx) would otherwise hold events back in a buffer.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    if (first) res.write(first);
    this.#open.add(res);
    res.on('close', () => {
      this.#open.delete(res);
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#perAddress.set(address, left);
      else this.#perAddress.delete(address);
    });
    this.#keepalive ??= setInterval(() => this.#writeAll(': keepalive\n\n'), this.options.keepaliveMs);
    this.#keepalive.unref();
    return true;
  }

  send(event: string, data: unknown): void {
    this.#writeAll(formatEvent(event, data));
  }

  /**
   * Ends every stream (browsers reconnect to wherever the page is served next). Resolves
   * when the ends have been handed to the sockets, so that closing the connections
   * afterwards does not turn a clean end into an abort; a client that stopped reading
   * is not waited for long.
   */
  async closeAll(): Promise<void> {
    if (this.#keepalive) clearInterval(this.#keepalive);
    this.#keepalive = undefined;
    const ended = [...this.#open].map(
      (res) =>
        new Promise<void>((resolve) => {
          res.once('finish', resolve);
          res.once('close', resolve);
          res.end();
        }),
    );
    this.#open.clear();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000)));
    await Promise.race([Promise.all(ended), grace]);
    clearTimeout(timer);
  }

  #writeAll(chunk: string): void {
    for (const res of this.#open) res.write(chunk);
  }
}

/** One SSE event; JSON data never holds a raw newline, so one `data:` line suffices. */
export function formatEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
