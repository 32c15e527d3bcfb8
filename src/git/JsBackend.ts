import fs from 'node:fs';
import path from 'node:path';
import type * as IsoGit from 'isomorphic-git';
import { CacheCorruptError, GitfleetError, UnsupportedError } from '../errors/index.js';
import type { ChangedPath, CommitInfo, CommitMeta, FileChange, GitBackend, LogQuery, PushOutcome, TreeEntry } from './GitBackend.js';
import { jsFailureError } from './classifyJsFailure.js';
import { basicAuthHeader, type RemoteSpec } from './RemoteSpec.js';
import { timedHttpClient } from './timedHttpClient.js';
import { buildTree, type TreeWriter } from './buildTree.js';

export interface JsBackendOptions {
  remote: RemoteSpec;
  branch: string;
  cacheDir: string;
  shallow?: boolean;
  networkTimeoutMs?: number;
  /** Rebuild the cache after this many packs have piled up (each fetch writes one). */
  maxPacks?: number;
}

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
  readonly #headers: Record<string, string>;
  #cache: object = {};
  #ready: Promise<void> | undefined;
  #trees = new Map<string, { path: string; oid: string; type: string; mode: string }[]>();

  constructor(options: JsBackendOptions) {
    if (options.remote.protocol !== 'http') {
      throw new UnsupportedError(`the js backend speaks HTTP(S) only, not ${options.remote.protocol}`, {
        hint: 'use --backend cli for ssh remotes and local paths',
      });
    }
    this.#opts = { shallow: true, networkTimeoutMs: 60_000, maxPacks: 50, ...options };
    this.remoteLabel = options.remote.url;
    this.#http = timedHttpClient(this.#opts.networkTimeoutMs);
    this.#headers = options.remote.auth ? { Authorization: basicAuthHeader(options.remote.auth) } : {};
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
        fs,
        http: this.#http,
        gitdir: this.cacheDir,
        url: this.#opts.remote.url,
        remote: 'origin',
        ref: this.#opts.branch,
        singleBranch: true,
        tags: false,
        headers: this.#headers,
        cache: this.#cache,
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
      const refs = await git.listServerRefs({ http: this.#http, url: this.#opts.remote.url, prefix: `refs/heads/${this.#opts.branch}`, headers: this.#headers });
      return refs.find((r) => r.ref === `refs/heads/${this.#opts.branch}`)?.oid ?? null;
    } catch (error) {
      throw jsFailureError(error, 'ls-remote', this.remoteLabel, this.#opts.branch);
    }
  }

  async listTree(commit: string, roots: readonly string[]): Promise<TreeEntry[]> {
    const git = await loadIsoGit();
    return this.#guard('read', async () => {
      const { commit: c } = await git.readCommit({ fs, gitdir: this.cacheDir, oid: commit, cache: this.#cache });
      const top = await this.#readTree(c.tree);
      const out: TreeEntry[] = [];
      for (const root of roots) {
        const entry = top.find((e) => e.path === root);
        if (!entry) continue;
        if (entry.type === 'blob') out.push({ path: root, oid: entry.oid, size: null });
        else if (entry.type === 'tree') await this.#walk(entry.oid, root, out);
      }
      return out;
    });
  }

  async readBlobs(oids: readonly string[]): Promise<Map<string, Uint8Array>> {
    const git = await loadIsoGit();
    return this.#guard('read', async () => {
      const blobs = new Map<string, Uint8Array>();
      for (const oid of oids) {
        const { blob } = await git.readBlob({ fs, gitdir: this.cacheDir, oid, cache: this.#cache });
        blobs.set(oid, blob);
      }
      return blobs;
    });
  }

  async commit(parent: string | null, changes: readonly FileChange[], meta: CommitMeta): Promise<string> {
    await this.#ensure();
    const git = await loadIsoGit();
    return this.#guard('commit', async () => {
      const gitdir = this.cacheDir;
      const writer: TreeWriter = {
        readTree: (oid) => this.#readTree(oid),
        writeTree: (tree) => git.writeTree({ fs, gitdir, tree }),
        writeBlob: (blob) => git.writeBlob({ fs, gitdir, blob }),
      };
      const baseTree = parent ? (await git.readCommit({ fs, gitdir, oid: parent, cache: this.#cache })).commit.tree : null;
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

  async push(commit: string): Promise<PushOutcome> {
    const git = await loadIsoGit();
    await git.writeRef({ fs, gitdir: this.cacheDir, ref: OUT_REF, value: commit, force: true });
    try {
      const result = await git.push({
        fs,
        http: this.#http,
        gitdir: this.cacheDir,
        url: this.#opts.remote.url,
        ref: OUT_REF,
        remoteRef: `refs/heads/${this.#opts.branch}`,
        headers: this.#headers,
        cache: this.#cache,
      });
      if (!result.ok) return 'rejected';
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'PushRejectedError' || code === 'GitPushError') return 'rejected';
      throw jsFailureError(error, 'push', this.remoteLabel, this.#opts.branch);
    }
    await git.writeRef({ fs, gitdir: this.cacheDir, ref: REMOTE_REF, value: commit, force: true });
    return 'ok';
  }

  async changedPaths(from: string, to: string): Promise<ChangedPath[]> {
    const git = await loadIsoGit();
    return this.#guard('read', async () => {
      const tree = async (oid: string) => (await git.readCommit({ fs, gitdir: this.cacheDir, oid, cache: this.#cache })).commit.tree;
      const changed: ChangedPath[] = [];
      await this.#diffTrees(await tree(from), await tree(to), '', changed);
      return changed;
    });
  }

  async log(query: LogQuery): Promise<CommitInfo[]> {
    const git = await loadIsoGit();
    await this.#ensure();
    if (fs.existsSync(path.join(this.cacheDir, 'shallow'))) {
      await git
        .fetch({
          fs,
          http: this.#http,
          gitdir: this.cacheDir,
          url: this.#opts.remote.url,
          remote: 'origin',
          ref: this.#opts.branch,
          singleBranch: true,
          tags: false,
          headers: this.#headers,
          cache: this.#cache,
          ...(query.since ? { since: new Date(query.since.getTime() - 86_400_000) } : { depth: 100_000 }),
        })
        .catch((error: unknown) => {
          throw jsFailureError(error, 'fetch', this.remoteLabel, this.#opts.branch);
        });
    }
    return this.#guard('read', async () => {
      const commits = await git.log({
        fs,
        gitdir: this.cacheDir,
        ref: query.from,
        includeChanges: true,
        cache: this.#cache,
        ...(query.since ? { since: query.since } : {}),
      });
      const out: CommitInfo[] = [];
      for (const entry of commits) {
        const c = entry.commit;
        const time = c.author.timestamp * 1000;
        if (query.until && time > query.until.getTime()) continue;
        const changes = (c as { changes?: [string | null, string | null, string][] }).changes ?? [];
        const files = changes.map(([newOid, oldOid, filepath]) => ({
          status: (newOid === null ? 'D' : oldOid === null ? 'A' : 'M') as 'A' | 'M' | 'D',
          path: filepath,
        }));
        if (query.paths?.length && !files.some((f) => query.paths!.some((p) => f.path === p || f.path.startsWith(`${p.replace(/\/$/, '')}/`)))) continue;
        out.push({ oid: entry.oid, parents: c.parent, authorName: c.author.name, authorEmail: c.author.email, time, message: c.message.trim(), files });
        if (out.length >= query.limit) break;
      }
      return out;
    });
  }

  async reset(): Promise<void> {
    this.#ready = undefined;
    this.#cache = {};
    this.#trees.clear();
    await fs.promises.rm(this.cacheDir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    this.#cache = {};
    this.#trees.clear();
  }

  #ensure(): Promise<void> {
    this.#ready ??= (async () => {
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

  async #readTree(oid: string) {
    const git = await loadIsoGit();
    let tree = this.#trees.get(oid);
    if (!tree) {
      tree = (await git.readTree({ fs, gitdir: this.cacheDir, oid, cache: this.#cache })).tree;
      if (this.#trees.size > 5000) this.#trees.clear();
      this.#trees.set(oid, tree);
    }
    return tree;
  }

  async #walk(treeOid: string, prefix: string, out: TreeEntry[]): Promise<void> {
    for (const entry of await this.#readTree(treeOid)) {
      const full = `${prefix}/${entry.path}`;
      if (entry.type === 'tree') await this.#walk(entry.oid, full, out);
      else if (entry.type === 'blob') out.push({ path: full, oid: entry.oid, size: null });
    }
  }

  async #diffTrees(a: string | null, b: string | null, prefix: string, changed: ChangedPath[]): Promise<void> {
    if (a === b) return;
    const left = new Map((a ? await this.#readTree(a) : []).map((e) => [e.path, e]));
    const right = new Map((b ? await this.#readTree(b) : []).map((e) => [e.path, e]));
    for (const name of new Set([...left.keys(), ...right.keys()])) {
      const l = left.get(name);
      const r = right.get(name);
      if (l?.oid === r?.oid) continue;
      const full = prefix ? `${prefix}/${name}` : name;
      const lt = l?.type === 'tree' ? l.oid : null;
      const rt = r?.type === 'tree' ? r.oid : null;
      if (lt || rt) await this.#diffTrees(lt, rt, full, changed);
      if ((l && l.type !== 'tree') || (r && r.type !== 'tree')) changed.push({ path: full, oid: r && r.type !== 'tree' ? r.oid : null });
    }
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
