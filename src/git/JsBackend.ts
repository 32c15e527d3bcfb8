import { branchNames } from './branchNames.js';
import fs from 'node:fs';
import path from 'node:path';
import type * as IsoGit from 'isomorphic-git';
import { CacheCorruptError, GitfleetError, UnsupportedError } from '../errors/index.js';
import type { ChangedPath, CommitInfo, CommitMeta, FileChange, GitBackend, LogQuery, PushOutcome, TreeEntry } from './GitBackend.js';
import { jsFailureError } from './classifyJsFailure.js';
import { basicAuthHeader, type RemoteSpec } from './RemoteSpec.js';
import { timedHttpClient } from './timedHttpClient.js';
import { buildTree, type TreeWriter } from './buildTree.js';
import { parseCommitObject, type ParsedCommit } from './commitObject.js';
import { countLanded } from './countLanded.js';
import { missingObjects } from './missingObjects.js';
import { objectSizes } from './objectSizes.js';
import { receivePack } from './receivePack.js';
import { parseTreeObject, serializeTreeObject } from './treeObject.js';
import { TreeWalker, type StoredObject } from './walkTree.js';

export interface JsBackendOptions {
  remote: RemoteSpec;
  branch: string;
  cacheDir: string;
  shallow?: boolean;
  networkTimeoutMs?: number;
  /** Rebuild the cache after this many packs have piled up (each fetch writes one). */
  maxPacks?: number;
}

/** The deepest a log deepens a shallow cache (the whole history, in practice). */
const MAX_LOG_DEPTH = 100_000;
const REMOTE_REF = 'refs/gitfleet/remote';
const OUT_REF = 'refs/gitfleet/outgoing';

// Loaded on first use: it takes ~90 ms to import, which the default (cli) backend and
// every short-lived cron run would otherwise pay for nothing.
let isoGit: Promise<typeof IsoGit> | undefined;
function loadIsoGit(): Promise<typeof IsoGit> {
  isoGit ??= import('isomorphic-git').then((m) => m as unknown as typeof IsoGit);
  return isoGit;
}

/**
 * The pure-JavaScript backend (isomorphic-git): needs no git binary, speaks HTTP(S)
 * only. Its cache is a bare repository that only this backend touches (isomorphic-git
 * locks within one process; CacheLock serialises processes).
 */
export class JsBackend implements GitBackend {
  readonly kind = 'js' as const;
  readonly remoteLabel: string;
  readonly #opts: Required<Omit<JsBackendOptions, 'remote'>> & { remote: RemoteSpec };
  readonly #http;
  readonly #headers: Readonly<Record<string, string>>;
  #cache: object = {};
  #ready: Promise<void> | undefined;
  #removing: Promise<void> | undefined;
  #walker = this.#newWalker();

  constructor(options: JsBackendOptions) {
    if (options.remote.protocol !== 'http') {
      throw new UnsupportedError(`the js backend speaks HTTP(S) only, not ${options.remote.protocol}`, {
        hint: 'use --backend cli for ssh remotes and local paths',
      });
    }
    this.#opts = { shallow: true, networkTimeoutMs: 60_000, maxPacks: 50, ...options };
    this.remoteLabel = options.remote.url;
    this.#http = timedHttpClient(this.#opts.networkTimeoutMs);
    // Frozen, and copied into every call: isomorphic-git writes "Git-Protocol: version=2"
    // into the headers object it is given, and listServerRefs (protocol v2) once left it
    // there, so every later fetch (protocol v1) of this backend misread the answer.
    const headers: Record<string, string> = options.remote.auth ? { Authorization: basicAuthHeader(options.remote.auth) } : {};
    this.#headers = Object.freeze(headers);
  }

  get cacheDir(): string {
    return this.#opts.cacheDir;
  }

  async fetch(): Promise<string | null> {
    const git = await loadIsoGit();
    await this.#ensure();
    await this.#recycleIfBloated();
    try {
      const result = await git.fetch({
        ...this.#fetchOptions(),
        // Only the tip: after a lost race the head is often dozens of commits ahead, and
        // every intermediate commit would be inflated in JavaScript for nothing.
        ...(this.#opts.shallow ? { depth: 1 } : {}),
      });
      if (!result.fetchHead) return null;
      await git.writeRef({ fs, gitdir: this.cacheDir, ref: REMOTE_REF, value: result.fetchHead, force: true });
      return result.fetchHead;
    } catch (error) {
      const typed = jsFailureError(error, 'fetch', this.remoteLabel, this.#opts.branch);
      if (typed.code === 'E_BRANCH_NOT_FOUND') return null;
      throw typed;
    }
  }

  async lsRemote(): Promise<string | null> {
    const git = await loadIsoGit();
    try {
      const refs = await git.listServerRefs({
        http: this.#http,
        url: this.#opts.remote.url,
        prefix: `refs/heads/${this.#opts.branch}`,
        headers: { ...this.#headers },
      });
      return refs.find((r) => r.ref === `refs/heads/${this.#opts.branch}`)?.oid ?? null;
    } catch (error) {
      throw jsFailureError(error, 'ls-remote', this.remoteLabel, this.#opts.branch);
    }
  }

  async listBranches(): Promise<string[]> {
    const git = await loadIsoGit();
    try {
      const refs = await git.listServerRefs({ http: this.#http, url: this.#opts.remote.url, prefix: 'refs/heads/', headers: { ...this.#headers } });
      return branchNames(refs.map((r) => r.ref));
    } catch (error) {
      throw jsFailureError(error, 'ls-remote', this.remoteLabel, this.#opts.branch);
    }
  }

  async listTree(commit: string, roots: readonly string[] | '*', options: { all?: boolean } = {}): Promise<TreeEntry[]> {
    return this.#guard('read', () => this.#walker.list(commit, roots, options.all ?? false));
  }

  async readBlobs(oids: readonly string[]): Promise<Map<string, Uint8Array>> {
    const objects = await this.#readObjects(oids);
    return new Map([...objects].map(([oid, o]) => [oid, o.content]));
  }

  async commit(parent: string | null, changes: readonly FileChange[], meta: CommitMeta): Promise<string> {
    await this.#ensure();
    const git = await loadIsoGit();
    return this.#guard('commit', async () => {
      const gitdir = this.cacheDir;
      const writer: TreeWriter = {
        readTree: async (oid) => {
          const obj = (await this.#readObjects([oid])).get(oid)!;
          return obj.type === 'tree' ? parseTreeObject(obj.content) : [];
        },
        writeTree: (entries) => git.writeObject({ fs, gitdir, type: 'tree', object: serializeTreeObject(entries), format: 'content' }),
        writeBlob: (blob) => git.writeBlob({ fs, gitdir, blob }),
      };
      const baseTree = parent ? await this.#walker.commitTree(parent) : null;
      const tree = await buildTree(writer, baseTree, changes);
      const who = { name: meta.authorName, email: meta.authorEmail, timestamp: Math.floor(meta.time / 1000), timezoneOffset: 0 };
      const oid = await git.writeCommit({
        fs,
        gitdir,
        commit: { message: meta.message, tree, parent: parent ? [parent] : [], author: who, committer: who },
      });
      await git.writeRef({ fs, gitdir, ref: OUT_REF, value: oid, force: true });
      return oid;
    });
  }

  async probePush(): Promise<void> {
    // GET info/refs?service=git-receive-pack: the advertisement only, no command sent.
    // Asked directly rather than through isomorphic-git's getRemoteInfo: the status and
    // content type are the whole proof, and the advertisement need not be parsed.
    const url = `${this.#opts.remote.url.replace(/\/+$/, '')}/info/refs?service=git-receive-pack`;
    let res;
    try {
      res = await this.#http.request({ url, method: 'GET', headers: { ...this.#headers, 'User-Agent': 'git/gitfleet' } });
      for await (const _chunk of res.body ?? []) {
        // Drained so the connection is released.
      }
    } catch (error) {
      throw jsFailureError(error, 'push', this.remoteLabel, this.#opts.branch);
    }
    if (res.statusCode === 200 && /application\/x-git-receive-pack-advertisement/i.test(res.headers?.['content-type'] ?? '')) return;
    throw jsFailureError(
      res.statusCode === 200
        ? Object.assign(new Error('not a smart-HTTP receive-pack advertisement'), { code: 'SmartHttpError' })
        : Object.assign(new Error(`HTTP ${res.statusCode}`), { code: 'HttpError', data: { statusCode: res.statusCode } }),
      'push',
      this.remoteLabel,
      this.#opts.branch,
    );
  }

  async push(commit: string): Promise<PushOutcome> {
    const git = await loadIsoGit();
    await git.writeRef({ fs, gitdir: this.cacheDir, ref: OUT_REF, value: commit, force: true });
    const parent = (await this.#commitOf(commit)).parents[0] ?? null;
    try {
      const outcome = await receivePack({
        http: this.#http,
        url: this.#opts.remote.url,
        headers: { ...this.#headers },
        ref: `refs/heads/${this.#opts.branch}`,
        commit,
        parent,
        objects: () => this.#guard('push', () => this.#newObjects(commit, parent)),
      });
      if (outcome === 'rejected') return 'rejected';
    } catch (error) {
      throw jsFailureError(error, 'push', this.remoteLabel, this.#opts.branch);
    }
    await git.writeRef({ fs, gitdir: this.cacheDir, ref: REMOTE_REF, value: commit, force: true });
    return 'ok';
  }

  countLanded(from: string, to: string, limit: number): Promise<number | undefined> {
    return countLanded((oid) => this.#commitOf(oid), from, to, limit);
  }

  async changedPaths(from: string, to: string): Promise<ChangedPath[]> {
    return this.#guard('read', async () => (await this.#walker.diff(from, to)).map(({ path: p, oid }) => ({ path: p, oid })));
  }

  async log(query: LogQuery): Promise<CommitInfo[]> {
    await this.#ensure();
    // A shallow cache is deepened only as far as the query needs: isomorphic-git indexes
    // every fetched pack in JavaScript, and the whole of a long history takes minutes
    // (issue 14: 11 minutes for --limit 20 over 10,718 commits). Start at what `limit`
    // commits need (more when filters drop some) and deepen fourfold while the walk hits
    // the shallow boundary before it has `limit` commits.
    let depth = query.paths?.length || query.match ? Math.max(200, query.limit * 4) : query.limit + 1;
    for (;;) {
      const shallow = fs.existsSync(path.join(this.cacheDir, 'shallow'));
      if (shallow) await this.#deepen(query.since ? { since: new Date(query.since.getTime() - 86_400_000) } : { depth: Math.min(depth, MAX_LOG_DEPTH) });
      const { commits, cut } = await this.#guard('read', () => this.#history(query));
      if (!shallow || !cut || query.since || commits.length >= query.limit || depth >= MAX_LOG_DEPTH) return commits;
      depth *= 4;
    }
  }

  /** The branch of the remote into the cache, as every fetch of this backend asks for it. */
  #fetchOptions() {
    return {
      fs,
      http: this.#http,
      gitdir: this.cacheDir,
      url: this.#opts.remote.url,
      remote: 'origin',
      ref: this.#opts.branch,
      singleBranch: true,
      tags: false,
      headers: { ...this.#headers },
      cache: this.#cache,
    };
  }

  async #deepen(how: { since: Date } | { depth: number }): Promise<void> {
    const git = await loadIsoGit();
    await git.fetch({ ...this.#fetchOptions(), ...how }).catch((error: unknown) => {
      throw jsFailureError(error, 'fetch', this.remoteLabel, this.#opts.branch);
    });
  }

  async reset(): Promise<void> {
    this.#ready = undefined;
    this.#cache = {};
    this.#walker = this.#newWalker();
    // An operation that starts while the folder is being removed waits for it (#ensure).
    this.#removing = fs.promises.rm(this.cacheDir, { recursive: true, force: true });
    await this.#removing;
  }

  async close(): Promise<void> {
    this.#cache = {};
    this.#walker = this.#newWalker();
  }

  #ensure(): Promise<void> {
    this.#ready ??= (async () => {
      await this.#removing;
      const git = await loadIsoGit();
      if (!fs.existsSync(path.join(this.cacheDir, 'HEAD'))) {
        await fs.promises.mkdir(this.cacheDir, { recursive: true });
        await git.init({ fs, gitdir: this.cacheDir, bare: true, defaultBranch: this.#opts.branch });
        // The URL only (credentials travel as a header); isomorphic-git needs its refspec.
        await git.addRemote({ fs, gitdir: this.cacheDir, remote: 'origin', url: this.#opts.remote.url, force: true });
      }
    })().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  // Every fetch adds a pack; reading gets slower with each. Start afresh now and then.
  async #recycleIfBloated(): Promise<void> {
    const packs = await fs.promises.readdir(path.join(this.cacheDir, 'objects/pack')).catch(() => [] as string[]);
    if (packs.filter((p) => p.endsWith('.pack')).length > this.#opts.maxPacks) await this.reset().then(() => this.#ensure());
  }

  #newWalker(): TreeWalker {
    return new TreeWalker({ readObjects: (oids) => this.#readObjects(oids), blobSizes: (oids) => objectSizes(this.cacheDir, oids) });
  }

  /** Objects of the cache, any type, read raw (isomorphic-git's parsers refuse some trees git accepts). */
  async #readObjects(oids: readonly string[]): Promise<Map<string, StoredObject>> {
    const git = await loadIsoGit();
    return this.#guard('read', async () => {
      const out = new Map<string, StoredObject>();
      const missing: string[] = [];
      for (const oid of new Set(oids)) {
        try {
          const { type, object } = await git.readObject({ fs, gitdir: this.cacheDir, oid, format: 'content', cache: this.#cache });
          out.set(oid, { type, content: object as Uint8Array });
        } catch (error) {
          if ((error as { code?: string }).code !== 'NotFoundError') throw error;
          missing.push(oid);
        }
      }
      if (missing.length) throw missingObjects(missing);
      return out;
    });
  }

  async #commitOf(oid: string): Promise<ParsedCommit> {
    const obj = (await this.#readObjects([oid])).get(oid)!;
    if (obj.type !== 'commit') throw missingObjects([oid]);
    return parseCommitObject(obj.content);
  }

  /** The objects of `commit` that its parent does not have: the commit, new trees, new blobs. */
  async #newObjects(commit: string, parent: string | null): Promise<Map<string, StoredObject>> {
    const wanted = new Set<string>([commit]);
    const newTree = await this.#walker.commitTree(commit);
    const oldTree = parent ? await this.#walker.commitTree(parent) : null;
    const walk = async (tree: string, old: string | null): Promise<void> => {
      if (tree === old) return;
      wanted.add(tree);
      const listing = await this.#readObjects(old ? [tree, old] : [tree]);
      const before = new Map(
        (old && listing.get(old)!.type === 'tree' ? parseTreeObject(listing.get(old)!.content) : []).map((e) => [e.name.toString('latin1'), e]),
      );
      for (const e of parseTreeObject(listing.get(tree)!.content)) {
        const was = before.get(e.name.toString('latin1'));
        if (was?.oid === e.oid) continue;
        if (e.mode === '40000') await walk(e.oid, was?.mode === '40000' ? was.oid : null);
        else if (e.mode !== '160000') wanted.add(e.oid);
      }
    };
    await walk(newTree, oldTree);
    return this.#readObjects([...wanted]);
  }

  /**
   * `git log` over the cache: newest first by commit time, each commit's files against its
   * first parent. `cut`: the walk reached a commit whose parents the shallow cache lacks;
   * such a commit is left out (its files cannot be told) and a deeper fetch would find more.
   */
  async #history(query: LogQuery): Promise<{ commits: CommitInfo[]; cut: boolean }> {
    const shallow = new Set(
      (await fs.promises.readFile(path.join(this.cacheDir, 'shallow'), 'utf8').catch(() => ''))
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    );
    const out: CommitInfo[] = [];
    let cut = false;
    const seen = new Set<string>();
    const queue: { oid: string; commit: ParsedCommit }[] = [];
    const enqueue = async (oid: string) => {
      if (seen.has(oid)) return;
      seen.add(oid);
      queue.push({ oid, commit: await this.#commitOf(oid) });
      queue.sort((a, b) => b.commit.commitTime - a.commit.commitTime);
    };
    await enqueue(query.from);
    while (queue.length > 0 && out.length < query.limit) {
      const { oid, commit: c } = queue.shift()!;
      if (query.since && c.commitTime * 1000 < query.since.getTime()) break;
      if (shallow.has(oid) && c.parents.length > 0) {
        cut = true;
        continue;
      }
      const parents = c.parents;
      for (const p of parents) await enqueue(p);
      const time = c.authorTime * 1000;
      if (query.until && c.commitTime * 1000 > query.until.getTime()) continue;
      // Before the diff: on a long history the diffs are what costs (issue 14: minutes for --by).
      if (query.match && !query.match({ authorName: c.authorName, authorEmail: c.authorEmail, message: c.message.trim() })) continue;
      // Like git log without -m: a merge lists no files.
      const files: CommitInfo['files'] = [];
      if (parents.length <= 1) {
        const changed = parents[0]
          ? await this.#walker.diff(parents[0], oid, true)
          : (await this.#walker.list(oid, await this.#topNames(oid), true)).map((e) => ({ path: e.path, status: 'A' as const }));
        for (const f of changed) files.push({ status: f.status, path: f.path });
      }
      if (query.paths?.length && !files.some((f) => query.paths!.some((p) => f.path === p || f.path.startsWith(`${p.replace(/\/$/, '')}/`)))) continue;
      out.push({ oid, parents: c.parents, authorName: c.authorName, authorEmail: c.authorEmail, time, message: c.message.trim(), files });
    }
    return { commits: out, cut };
  }

  async #topNames(commit: string): Promise<string[]> {
    const tree = await this.#walker.commitTree(commit);
    const obj = (await this.#readObjects([tree])).get(tree)!;
    return obj.type === 'tree' ? parseTreeObject(obj.content).map((e) => e.name.toString('utf8')) : [];
  }

  // These operations only read and write the local object store, so a failure that is
  // not already one of ours (zlib errors, missing or mistyped objects) means the cache is damaged.
  async #guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof GitfleetError) throw error;
      throw new CacheCorruptError(`the local git cache is damaged (${operation}: ${(error as Error).message})`, {
        hint: 'delete the cache directory (see --cache-dir) and run again',
      });
    }
  }
}
