import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BatchAnswer, BatchRequest } from './CatFileBatch.js';
import { parseCommitObject } from './commitObject.js';
import { parseTreeObject } from './treeObject.js';
import { type CommitQueue, type PushOutcome, type QueuedCommit, queuePrefix } from './GitBackend.js';
import { REMOTE_REF } from './fetchArgs.js';
import { writeLooseRef } from './looseObjects.js';

/** What the queue needs of the CLI backend (its network runner, its object reader). */
export interface CliQueueParts {
  cacheDir: string;
  url: string;
  branch: string;
  /** Runs a fetch or push; a lost race throws an error with `rejected: true`. */
  network(args: string[], operation: 'fetch' | 'push' | 'ls-remote'): Promise<Buffer>;
  readObjects(names: readonly string[], request: BatchRequest): Promise<(BatchAnswer | null)[]>;
  /** After a fetch or push: the cache's occasional packing. */
  afterWrite(): Promise<void>;
}

/** The name of an offer gitfleet would write, after its branch's prefix: <time>-<writer>-<nonce>. */
const OFFER_NAME = /^[0-9a-z]{9}-[A-Za-z0-9._-]{1,120}$/;

export function isQueueRef(ref: string, prefix: string): boolean {
  return ref.startsWith(prefix) && OFFER_NAME.test(ref.slice(prefix.length)) && !ref.includes('..') && !ref.endsWith('.lock');
}

/**
 * The commit queue over the git binary: one fetch takes the branch and every offer (their
 * refs mirrored into the cache, pruned as they go); offers and folds are pushes with
 * explicit leases, a fold an atomic one, so an offer its writer withdrew can never land.
 */
export class CliCommitQueue implements CommitQueue {
  readonly prefix: string;

  constructor(private readonly parts: CliQueueParts) {
    this.prefix = queuePrefix(parts.branch);
  }

  async fetch(): Promise<{ head: string | null; queued: QueuedCommit[] }> {
    const { url, branch, cacheDir } = this.parts;
    try {
      await this.parts.network(
        ['fetch', '--no-tags', '--no-auto-gc', '--prune', '--verbose', url, `+refs/heads/${branch}:${REMOTE_REF}`, `+${this.prefix}*:${this.prefix}*`],
        'fetch',
      );
    } catch (error) {
      if ((error as { code?: string }).code === 'E_BRANCH_NOT_FOUND') return { head: null, queued: [] };
      throw error;
    }
    const text = await fs.readFile(path.join(cacheDir, 'FETCH_HEAD'), 'utf8').catch(() => '');
    let head: string | null = null;
    const queued: QueuedCommit[] = [];
    for (const line of text.split('\n')) {
      const m = /^([0-9a-f]{40})\t[^\t]*\t(.*)$/.exec(line);
      if (!m) continue;
      if (m[2]!.startsWith(`branch '${branch}' of `)) head = m[1]!;
      const ref = /^'([^']+)' of /.exec(m[2]!)?.[1];
      // Names gitfleet would not write are left alone (never handed to git as arguments).
      if (ref !== undefined && isQueueRef(ref, this.prefix)) queued.push({ ref, oid: m[1]! });
    }
    await this.parts.afterWrite();
    queued.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
    return { head, queued };
  }

  async list(): Promise<{ head: string | null; queued: QueuedCommit[] }> {
    const { url, branch } = this.parts;
    const out = await this.parts.network(['ls-remote', url, `refs/heads/${branch}`, `${this.prefix}*`], 'ls-remote');
    let head: string | null = null;
    const queued: QueuedCommit[] = [];
    for (const line of out.toString('utf8').split('\n')) {
      const [oid, ref] = line.split('\t');
      if (!oid || !ref || !/^[0-9a-f]{40}$/.test(oid)) continue;
      if (ref === `refs/heads/${branch}`) head = oid;
      else if (isQueueRef(ref, this.prefix)) queued.push({ ref, oid });
    }
    queued.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
    return { head, queued };
  }

  async offer(ref: string, commit: string | null, expected: string | null): Promise<PushOutcome> {
    if (!isQueueRef(ref, this.prefix)) throw new Error(`not a queue ref: ${ref}`);
    return this.#push([`--force-with-lease=${ref}:${expected ?? ''}`, this.parts.url, commit === null ? `:${ref}` : `${commit}:${ref}`]);
  }

  async pushFold(commit: string, drop: readonly QueuedCommit[]): Promise<PushOutcome> {
    const refs = drop.filter((d) => isQueueRef(d.ref, this.prefix));
    const outcome = await this.#push([
      '--atomic',
      ...refs.map((d) => `--force-with-lease=${d.ref}:${d.oid}`),
      this.parts.url,
      `${commit}:refs/heads/${this.parts.branch}`,
      ...refs.map((d) => `:${d.ref}`),
    ]);
    if (outcome === 'ok') await writeLooseRef(this.parts.cacheDir, REMOTE_REF, commit);
    return outcome;
  }

  async entriesAt(items: readonly { commit: string; path: string }[]): Promise<(string | null)[]> {
    // Walked through the cache's object reader (no process per commit): commit, then one
    // tree per folder on the path; trees read once per call.
    const objects = new Map<string, { type: string; content: Buffer } | null>();
    const read = async (oids: string[]) => {
      const wanted = [...new Set(oids.filter((o) => !objects.has(o)))];
      if (wanted.length === 0) return;
      const answers = await this.parts.readObjects(wanted, 'contents');
      for (const [i, o] of wanted.entries()) {
        const answer = answers[i];
        objects.set(o, answer?.content ? { type: answer.type, content: answer.content } : null);
      }
    };
    const at = items.map((i) => ({ parts: i.path.split('/'), depth: 0, oid: i.commit as string | null, mode: '' }));
    await read(at.map((a) => a.oid!));
    for (const a of at) {
      const commit = objects.get(a.oid!);
      a.oid = commit?.type === 'commit' ? parseCommitObject(commit.content).tree : null;
    }
    while (at.some((a) => a.oid !== null && a.depth < a.parts.length)) {
      await read(at.filter((a) => a.oid !== null && a.depth < a.parts.length).map((a) => a.oid!));
      for (const a of at) {
        if (a.oid === null || a.depth >= a.parts.length) continue;
        const tree = objects.get(a.oid);
        const entry = tree?.type === 'tree' ? parseTreeObject(tree.content).find((e) => e.name.toString('utf8') === a.parts[a.depth]) : undefined;
        a.depth++;
        if (!entry || (a.depth < a.parts.length && entry.mode !== '40000')) a.oid = null;
        else {
          a.oid = entry.oid;
          a.mode = entry.mode;
        }
      }
    }
    return at.map((a) => (a.oid === null ? null : `${a.mode} ${a.oid}`));
  }

  async readCommits(oids: readonly string[]): Promise<({ parents: string[]; message: string } | null)[]> {
    const wanted = oids.filter((o) => /^[0-9a-f]{40}$/.test(o));
    const answers = wanted.length ? await this.parts.readObjects(wanted, 'contents') : [];
    const byOid = new Map(wanted.map((o, i) => [o, answers[i]]));
    return oids.map((oid) => {
      const answer = byOid.get(oid);
      if (!answer?.content || answer.type !== 'commit') return null;
      const parsed = parseCommitObject(answer.content);
      return { parents: parsed.parents, message: parsed.message };
    });
  }

  async #push(args: string[]): Promise<PushOutcome> {
    try {
      await this.parts.network(['push', '--no-verify', '--verbose', ...args], 'push');
    } catch (error) {
      if ((error as { rejected?: boolean }).rejected) return 'rejected';
      throw error;
    }
    await this.parts.afterWrite();
    return 'ok';
  }
}
