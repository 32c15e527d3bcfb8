import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/writeFileAtomic.js';

export interface OutboxItem {
  /** Which replayer turns the payload back into a plan (e.g. "status", "message"). */
  kind: string;
  /** Items with the same key replace each other: only the latest status matters. */
  key: string;
  payload: unknown;
}

export interface OutboxEntry extends OutboxItem {
  savedAt: string;
}

export interface OutboxLimits {
  maxEntries: number;
  maxBytes: number;
}

export interface OutboxOptions {
  /** The clock that stamps savedAt (which orders the entries); default Date.now. */
  now?: () => number;
}

/**
 * Writes that wait on disk while the remote is unreachable. Crash-safe (each entry is
 * written to a temporary file, flushed, then renamed into place) and bounded (the
 * oldest entries go when it is full). Entries hold data, not code: a replayer per kind
 * turns them back into plans when the remote returns.
 */
export class Outbox {
  readonly #now: () => number;

  constructor(
    readonly dir: string,
    readonly limits: OutboxLimits = { maxEntries: 500, maxBytes: 8 * 1024 * 1024 },
    options: OutboxOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
  }

  async put(item: OutboxItem): Promise<void> {
    const entry: OutboxEntry = { ...item, savedAt: new Date(this.#now()).toISOString() };
    const text = JSON.stringify(entry);
    if (Buffer.byteLength(text) > this.limits.maxBytes) throw new Error(`outbox entry ${item.key} is larger than the outbox`);
    await writeFileAtomic(this.#file(item.key), text);
    await this.#trim();
  }

  /** Pending entries, oldest first. Unreadable files (a crash mid-write cannot make one, a disk error can) are removed. */
  async list(): Promise<OutboxEntry[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const entries: OutboxEntry[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (name.endsWith('.tmp')) {
        await fs.rm(file, { force: true });
        continue;
      }
      if (!name.endsWith('.json')) continue;
      try {
        const entry = JSON.parse(await fs.readFile(file, 'utf8')) as OutboxEntry;
        if (typeof entry.kind === 'string' && typeof entry.key === 'string') entries.push(entry);
      } catch {
        await fs.rm(file, { force: true });
      }
    }
    return entries.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
  }

  async remove(key: string, savedAt?: string): Promise<void> {
    const file = this.#file(key);
    if (savedAt !== undefined) {
      // Keep an entry that was replaced after we read it: it holds newer data.
      const current = await fs.readFile(file, 'utf8').then(
        (t) => (JSON.parse(t) as OutboxEntry).savedAt,
        () => null,
      );
      if (current !== null && current !== savedAt) return;
    }
    await fs.rm(file, { force: true });
  }

  async #trim(): Promise<void> {
    const entries = await this.list();
    let bytes = 0;
    const sizes = await Promise.all(
      entries.map((e) =>
        fs.stat(this.#file(e.key)).then(
          (s) => s.size,
          () => 0,
        ),
      ),
    );
    for (const s of sizes) bytes += s;
    let i = 0;
    while (entries.length - i > this.limits.maxEntries || bytes > this.limits.maxBytes) {
      await fs.rm(this.#file(entries[i]!.key), { force: true });
      bytes -= sizes[i] ?? 0;
      i++;
    }
  }

  #file(key: string): string {
    // Keys are chosen by gitfleet, but keep the file name safe whatever they hold.
    const safe = key.replace(/[^a-zA-Z0-9._-]/g, '_').slice(0, 120);
    return path.join(this.dir, `${safe}.json`);
  }
}
