import type { RecordKind, RecordTypes } from '../schema/recordKinds.js';
import { ARCHIVE_LAYOUT_MARKERS, type ArchiveOptions, recordPath } from './recordPaths.js';

export interface RecordWrite {
  path: string;
  kind: RecordKind;
  record: unknown;
}

/** A README beside the records, for people browsing the repository, or one of its workflows. */
export interface DocWrite {
  path: string;
  text: string;
}

const DOC_PATHS = new Set([
  'status/README.md',
  'jobs/README.md',
  'messages/README.md',
  // The archives' layout markers (`gitfleet migrate`): their presence switches archive writers to shards.
  ...Object.values(ARCHIVE_LAYOUT_MARKERS),
  // The two GitHub Actions workflows `gitfleet init --workflows` writes (src/site/pagesWorkflows.ts);
  // exactly these, so no plan can put arbitrary files (or other workflows) outside the record folders.
  '.github/workflows/pages.yml',
  '.github/workflows/validate.yml',
]);

/**
 * What a plan wants written: records to put and paths to delete. Paths come from
 * recordPath(), so a change set can only name files inside the record folders.
 * A later change to the same path replaces an earlier one.
 */
export class ChangeSet {
  readonly #writes = new Map<string, RecordWrite>();
  readonly #deletes = new Set<string>();
  readonly #docs = new Map<string, DocWrite>();

  put<K extends RecordKind>(kind: K, record: RecordTypes[K], options: ArchiveOptions = {}): this {
    const path = recordPath(kind, idOf(kind, record), options);
    this.#deletes.delete(path);
    this.#writes.set(path, { path, kind, record });
    return this;
  }

  delete(kind: RecordKind, id?: string, options: ArchiveOptions = {}): this {
    const path = recordPath(kind, id, options);
    this.#writes.delete(path);
    this.#deletes.add(path);
    return this;
  }

  /** Writes a README or workflow of the fleet repository (only the few known paths). */
  putDoc(path: string, text: string): this {
    if (!DOC_PATHS.has(path)) throw new Error(`${path} is not a documentation path of a fleet repository`);
    this.#docs.set(path, { path, text });
    return this;
  }

  /** Adds every change of `other` after this one's. */
  merge(other: ChangeSet): this {
    for (const path of other.deletes) {
      this.#writes.delete(path);
      this.#deletes.add(path);
    }
    for (const write of other.writes) {
      this.#deletes.delete(write.path);
      this.#writes.set(write.path, write);
    }
    for (const doc of other.docs) this.#docs.set(doc.path, doc);
    return this;
  }

  get writes(): RecordWrite[] {
    return [...this.#writes.values()];
  }

  get deletes(): string[] {
    return [...this.#deletes];
  }

  get docs(): DocWrite[] {
    return [...this.#docs.values()];
  }

  get size(): number {
    return this.#writes.size + this.#deletes.size + this.#docs.size;
  }
}

function idOf(kind: RecordKind, record: unknown): string | undefined {
  if (kind === 'fleet' || kind === 'coordinator') return undefined;
  const r = record as Record<string, unknown>;
  const id = kind === 'status' || kind === 'receipts' ? r.server : kind === 'notifications' ? r.webhook : r.id;
  return typeof id === 'string' ? id : String(id);
}
