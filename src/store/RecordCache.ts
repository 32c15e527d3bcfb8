import type { ParsedFile } from './parseRecordFile.js';

/** Rough cost of a cached entry beyond its file size (object headers, key, map slot). */
const ENTRY_OVERHEAD = 256;

/**
 * Parsed records by (kind, id, blob id). A blob never changes, so a record is parsed
 * and validated once per process however many snapshots and retries see it.
 * Bounded by an estimate of the memory it holds (parsed JSON takes a few times its
 * file size), least recently used first out: an agent that writes a new version of its
 * status every minute must not grow for as long as it runs.
 */
export class RecordCache {
  readonly #map = new Map<string, { parsed: ParsedFile; cost: number }>();
  #bytes = 0;

  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  get(key: string): ParsedFile | undefined {
    const hit = this.#map.get(key);
    if (hit === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, hit);
    return hit.parsed;
  }

  /** `size`: the file's size in bytes. */
  set(key: string, parsed: ParsedFile, size = 0): void {
    const old = this.#map.get(key);
    if (old) {
      this.#bytes -= old.cost;
      this.#map.delete(key);
    }
    const cost = size * 3 + ENTRY_OVERHEAD;
    this.#map.set(key, { parsed, cost });
    this.#bytes += cost;
    while (this.#bytes > this.maxBytes && this.#map.size > 1) {
      const oldest = this.#map.keys().next().value as string;
      this.#bytes -= this.#map.get(oldest)!.cost;
      this.#map.delete(oldest);
    }
  }

  get size(): number {
    return this.#map.size;
  }

  get bytes(): number {
    return this.#bytes;
  }
}
