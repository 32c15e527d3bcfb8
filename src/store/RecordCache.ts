import type { ParsedFile } from './parseRecordFile.js';

/**
 * Parsed records by (kind, id, blob id). A blob never changes, so a record is parsed
 * and validated once per process however many snapshots and retries see it. Bounded:
 * the least recently used entries go first.
 */
export class RecordCache {
  readonly #map = new Map<string, ParsedFile>();
  constructor(readonly maxEntries = 200_000) {}

  get(key: string): ParsedFile | undefined {
    const hit = this.#map.get(key);
    if (hit !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: ParsedFile): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.maxEntries) {
      const oldest = this.#map.keys().next().value;
      if (oldest === undefined) break;
      this.#map.delete(oldest);
    }
  }

  get size(): number {
    return this.#map.size;
  }
}
