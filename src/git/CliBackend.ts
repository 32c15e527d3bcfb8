import { branchNames } from './branchNames.js';
import { randomBytes } from 'node:crypto';
import { existsSync, constants as fsConstants, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthError, CacheCorruptError, RemoteUnreachableError, UnsupportedError } from '../errors/index.js';
import type {
  ChangedPath,
  CommitInfo,
  CommitMeta,
  CommitQueue,
  FileChange,
  GitBackend,
  HistoryRewriter,
  LogQuery,
  PushOutcome,
  TreeEntry,
} from './GitBackend.js';
import { LOG_MATCH_SCAN } from './GitBackend.js';
import { gitEnvironment, type GitEnvironment } from './gitEnvironment.js';
import { gitFailureError, gitFailureKind } from './classifyGitFailure.js';
import { buildTree, type TreeWriter } from './buildTree.js';
import { parseCommitObject, serializeCommitObject } from './commitObject.js';
import { writeLooseObject, writeLooseRef } from './looseObjects.js';
import { parseTreeObject, serializeTreeObject } from './treeObject.js';
import { countLanded } from './countLanded.js';
import { CatFileObjects } from './CatFileObjects.js';
import { CliCommitQueue } from './CliCommitQueue.js';
import { missingObjects } from './missingObjects.js';
import { TreeWalker, type StoredObject } from './walkTree.js';
import { parseGitLog, LOG_ARGS } from './parseGitLog.js';
import type { RemoteSpec } from './RemoteSpec.js';
import { type RunGitResult, runGit } from './runGit.js';
import { adoptEarlyFetch, earlyFetchHolds } from './earlyFetch.js';
import { fetchArgs, REMOTE_REF } from './fetchArgs.js';

export interface CliBackendOptions {
  remote: RemoteSpec;
  branch: string;
  /** The private bare repository that caches the remote branch. */
  cacheDir: string;
  /** Fetch only the newest commit the first time (the cache needs no history to write). */
  shallow?: boolean;
  /** Kill a network command that stays silent this long. */
  networkTimeoutMs?: number;
  /** Offer the cache to `git gc --auto` every this many fetches and pushes (default 100). */
  packEvery?: number;
  /** Pack the loose objects once there are this many (default 1000). */
  packLooseObjects?: number;
  /**
   * Push to this ref instead of the branch, replacing what it holds: a relay's inbox ref
   * (refs/relay/inbox/<server>), which has one writer and whose commit sits on the newest
   * mirror rather than on the previous inbox commit. Fetches still read the branch.
   */
  pushRef?: string;
}

const SCRATCH_REF = 'refs/gitfleet/scratch';

/** The git CLI backend: works with every remote git can reach (http, ssh, local paths). */
export class CliBackend implements GitBackend {
  readonly kind = 'cli' as const;
  readonly remoteLabel: string;
  readonly #env: GitEnvironment;
  readonly #opts: Required<Omit<CliBackendOptions, 'remote' | 'pushRef'>> & { remote: RemoteSpec; pushRef?: string };
  #ready: Promise<void> | undefined;
  #removing: Promise<void> | undefined;
  /** Fetches and pushes since the cache was last offered to `git gc --auto`. */
  #writesSinceGc = 0;
  #walker = this.#newWalker();
  readonly #objects = new CatFileObjects(
    () => this.cacheDir,
    () => this.#env.env,
  );

  /** The commit queue (absent for a relay's inbox backend, which pushes to one ref of its own). */
  readonly queue: CommitQueue | undefined;

  constructor(options: CliBackendOptions) {
    this.#opts = { shallow: true, networkTimeoutMs: 60_000, packEvery: 100, packLooseObjects: 1000, ...options };
    this.#env = gitEnvironment(options.remote);
    this.remoteLabel = options.remote.url;
    this.queue = options.pushRef
      ? undefined
      : new CliCommitQueue({
          cacheDir: this.#opts.cacheDir,
          url: this.#opts.remote.url,
          branch: this.#opts.branch,
          network: (args, operation) => this.#network(args, operation),
          readObjects: async (names, request) => {
            await this.#ensure();
            return this.#objects.read(names, request);
          },
          afterWrite: () => this.#maybePack(),
        });
  }

  get cacheDir(): string {
    return this.#opts.cacheDir;
  }

  prepareToRead(): void {
    // While this process's early fetch (`status`) holds the cache, nothing but that fetch
    // changes it, and it only adds objects, which git's object reader finds when asked: the
    // reader starts now, on the other core, instead of when the fetch ends (~4 ms). With
    // the cache free or held by another process, that process could be rebuilding it.
    if (earlyFetchHolds(this.cacheDir)) this.#objects.prestart();
  }

  async headBeforeFetch(): Promise<string | null> {
    // Safe only while this process's early fetch holds the cache, as for prepareToRead.
    if (!earlyFetchHolds(this.cacheDir)) return null;
    try {
      // git reads the ref when asked: the head before the fetch, or the one it has just set.
      const [answer] = await this.#objects.read([REMOTE_REF], 'info');
      return answer?.type === 'commit' ? answer.oid : null;
    } catch {
      return null;
    }
  }

  async fetch(): Promise<string | null> {
    await this.#ensure();
    // Shallow only the first time: git negotiates incremental fetches cheaply in C,
    // while --depth on every fetch costs the server a shallow walk (25 -> 35 ms measured).
    const shallowFirst = this.#opts.shallow && !existsSync(path.join(this.cacheDir, 'FETCH_HEAD'));
    const args = fetchArgs(this.#opts.remote.url, this.#opts.branch, shallowFirst);
    // The same fetch may be under way already, started while the command loaded (earlyFetch.ts).
    const early = adoptEarlyFetch(this.cacheDir, args);
    const fetching = early
      ? early.then((result) => (result ? this.#networkResult(result, 'fetch') : this.#network(args, 'fetch')))
      : this.#network(args, 'fetch');
    // The reads that follow a fetch need the object reader: git starts it meanwhile, on the other core.
    this.#objects.prestart();
    try {
      await fetching;
    } catch (error) {
      if ((error as { code?: string }).code === 'E_BRANCH_NOT_FOUND') return null;
      throw error;
    }
    let oid = await this.#fetchHead();
    // Between the early fetch and now, another process may have used the cache (and its
    // fetch failed half-way): fetch once more ourselves rather than call the cache damaged.
    if (!oid && early) {
      await this.#network(args, 'fetch');
      oid = await this.#fetchHead();
    }
    if (!oid) throw new CacheCorruptError('git fetch left no FETCH_HEAD behind', { hint: 'delete the cache directory and run again' });
    await this.#maybePack();
    return oid;
  }

  async #fetchHead(): Promise<string | undefined> {
    // Read at once: a line of the local cache, where the promise API's open, stat, read and
    // close cost four thread-pool round trips (~0.7 ms of every `status`).
    let fetchHead = '';
    try {
      fetchHead = readFileSync(path.join(this.cacheDir, 'FETCH_HEAD'), 'utf8');
    } catch {}
    return /^[0-9a-f]{40}/.exec(fetchHead)?.[0];
  }

  // Every fetch and push leaves a few loose objects (small packs are unpacked): a daemon
  // that fetches every cycle would pile up thousands. Every `packEvery` of them, the loose
  // objects are counted and packed once there are `packLooseObjects` of them.
  async #maybePack(): Promise<void> {
    if (++this.#writesSinceGc < this.#opts.packEvery) return;
    this.#writesSinceGc = 0;
    // Counted exactly (gc --auto only samples one of 256 folders, blind below a few thousand).
    const counts = (await this.#plumbing(['count-objects', '-v'], 'count-objects')).toString('utf8');
    const loose = Number(/^count: (\d+)$/m.exec(counts)?.[1] ?? 0);
    if (loose < this.#opts.packLooseObjects) return;
    // Only the loose objects go into a new pack (cheap whatever the history); gc --auto then
    // folds the packs together once there are too many of them.
    await this.#plumbing(['repack', '-d', '-q'], 'repack');
    await this.#plumbing(['-c', 'gc.autoDetach=false', 'gc', '--auto', '--quiet'], 'gc');
  }

  async lsRemote(): Promise<string | null> {
    await this.#ensure();
    const out = await this.#network(['ls-remote', this.#opts.remote.url, `refs/heads/${this.#opts.branch}`], 'ls-remote');
    return /^[0-9a-f]{40}/.exec(out.toString('utf8'))?.[0] ?? null;
  }

  async listBranches(): Promise<string[]> {
    await this.#ensure();
    const out = await this.#network(['ls-remote', '--heads', this.#opts.remote.url], 'ls-remote');
    return branchNames(
      out
        .toString('utf8')
        .split('\n')
        .map((l) => l.split('\t')[1] ?? ''),
    );
  }

  async listTree(commit: string, roots: readonly string[] | '*', options: { all?: boolean } = {}): Promise<TreeEntry[]> {
    return this.#walker.list(commit, roots, options.all ?? false);
  }

  async readBlobs(oids: readonly string[]): Promise<Map<string, Uint8Array>> {
    const objects = await this.#readObjects(oids);
    return new Map([...objects].map(([oid, o]) => [oid, o.content]));
  }

  async commit(parent: string | null, changes: readonly FileChange[], meta: CommitMeta): Promise<string> {
    await this.#ensure();
    const gitdir = this.cacheDir;
    const writer: TreeWriter = {
      readTree: async (oid) => {
        const obj = (await this.#readObjects([oid])).get(oid)!;
        return obj.type === 'tree' ? parseTreeObject(obj.content) : [];
      },
      writeTree: (entries) => writeLooseObject(gitdir, 'tree', serializeTreeObject(entries)),
      writeBlob: (blob) => writeLooseObject(gitdir, 'blob', blob),
    };
    const baseTree = parent ? await this.#walker.commitTree(parent) : null;
    const tree = await buildTree(writer, baseTree, changes);
    const content = serializeCommitObject({ tree, parent, name: meta.authorName, email: meta.authorEmail, time: meta.time, message: meta.message });
    const oid = await writeLooseObject(gitdir, 'commit', content);
    // Keeps the commit reachable (safe from gc) until it is pushed or replaced.
    await writeLooseRef(gitdir, SCRATCH_REF, oid);
    return oid;
  }

  async probePush(): Promise<void> {
    if (this.#opts.remote.protocol === 'file') return probeLocalWrite(this.#opts.remote.url, this.remoteLabel);
    // --dry-run still connects to receive-pack and reads its advertisement (where hosts
    // check push rights: measured, a 403 on info/refs?service=git-receive-pack fails it),
    // then sends no command. The refspec deletes a random ref that cannot exist, so even
    // a git that ignored --dry-run would change nothing.
    const probe = `refs/gitfleet/doctor-probe-${randomBytes(6).toString('hex')}`;
    await this.#network(['push', '--dry-run', '--porcelain', '--no-verify', this.#opts.remote.url, `:${probe}`], 'push');
  }

  async push(commit: string): Promise<PushOutcome> {
    const target = this.#opts.pushRef ? `+${commit}:${this.#opts.pushRef}` : `${commit}:refs/heads/${this.#opts.branch}`;
    const args = ['push', '--no-verify', '--verbose', this.#opts.remote.url, target];
    try {
      await this.#network(args, 'push');
    } catch (error) {
      if ((error as { rejected?: boolean }).rejected) return 'rejected';
      throw error;
    }
    // Remember what the remote now holds: keeps the commit reachable and lets the next
    // fetch negotiate from it.
    await writeLooseRef(this.cacheDir, REMOTE_REF, commit);
    await this.#maybePack();
    return 'ok';
  }

  countLanded(from: string, to: string, limit: number): Promise<number | undefined> {
    return countLanded(async (oid) => parseCommitObject((await this.#readObjects([oid])).get(oid)!.content), from, to, limit);
  }

  async changedPaths(from: string, to: string): Promise<ChangedPath[]> {
    return (await this.#walker.diff(from, to)).map(({ path: p, oid }) => ({ path: p, oid }));
  }

  async log(query: LogQuery): Promise<CommitInfo[]> {
    await this.#ensure();
    if (await exists(path.join(this.cacheDir, 'shallow'))) {
      const deepen = query.since ? `--shallow-since=${Math.floor(query.since.getTime() / 1000) - 86400}` : '--unshallow';
      await this.#network(
        ['fetch', '--no-tags', '--no-auto-gc', '--verbose', deepen, this.#opts.remote.url, `+refs/heads/${this.#opts.branch}:${REMOTE_REF}`],
        'fetch',
      ).catch((error: unknown) => {
        // "--unshallow on a complete repository" is fine: nothing more to fetch.
        if (!/complete repository|does not make sense/i.test(String((error as Error).message))) throw error;
      });
    }
    // git cannot apply `match` (a function) itself: read more, keep the matches.
    const args = ['log', ...LOG_ARGS, `--max-count=${query.match ? Math.max(query.limit, LOG_MATCH_SCAN) : query.limit}`];
    if (query.since) args.push(`--since=${query.since.toISOString()}`);
    if (query.until) args.push(`--until=${query.until.toISOString()}`);
    args.push(query.from, '--');
    if (query.paths?.length) args.push(...query.paths);
    const logged = parseGitLog(await this.#plumbing(args, 'log'));
    const objects = await this.#readObjects(logged.map((c) => c.oid));
    const commits = logged.map(({ oid, files }) => {
      const c = parseCommitObject(objects.get(oid)!.content);
      return { oid, parents: c.parents, authorName: c.authorName, authorEmail: c.authorEmail, time: c.authorTime * 1000, message: c.message.trim(), files };
    });
    return query.match ? commits.filter((c) => query.match!(c)).slice(0, query.limit) : commits;
  }

  /** This backend rewrites history itself (compaction): plumbing, unshallow, pushRewrite below. */
  get rewriteHistory(): HistoryRewriter {
    return this;
  }

  /** Runs a plumbing command in the cache repository (for history tools such as compaction). */
  async plumbing(args: string[], input?: string | Uint8Array): Promise<Buffer> {
    await this.#ensure();
    return this.#plumbing(args, args[0] ?? 'git', input);
  }

  /** Fetches the whole history of the branch (a shallow cache becomes complete). */
  async unshallow(): Promise<void> {
    await this.#ensure();
    if (!(await exists(path.join(this.cacheDir, 'shallow')))) return;
    await this.#network(
      ['fetch', '--no-tags', '--no-auto-gc', '--verbose', '--unshallow', this.#opts.remote.url, `+refs/heads/${this.#opts.branch}:${REMOTE_REF}`],
      'fetch',
    );
  }

  /**
   * Replaces the branch with `commit` even though it is not a fast-forward, but only
   * if the branch still points at `expected` (--force-with-lease): a rewrite can never
   * drop an update that landed meanwhile. 'rejected' when the lease did not hold.
   */
  async pushRewrite(commit: string, expected: string): Promise<PushOutcome> {
    const ref = `refs/heads/${this.#opts.branch}`;
    try {
      // No "+" on the refspec: a forced refspec makes git ignore the lease altogether
      // (measured: it overwrote a commit that landed after `expected`).
      await this.#network(['push', '--no-verify', '--verbose', `--force-with-lease=${ref}:${expected}`, this.#opts.remote.url, `${commit}:${ref}`], 'push');
    } catch (error) {
      if ((error as { rejected?: boolean; message?: string }).rejected) {
        const text = String((error as { detail?: string }).detail ?? '');
        if (/non-fast-forward|denyNonFastForwards|protected branch|force.push/i.test(text) && !/stale info|fetch first/i.test(text)) {
          throw new UnsupportedError(`${this.remoteLabel} refuses to rewrite ${this.#opts.branch}`, {
            hint: 'compaction needs force pushes to this branch: allow them (receive.denyNonFastForwards=false, or the branch protection on GitHub/GitLab)',
          });
        }
        return 'rejected';
      }
      throw error;
    }
    await this.#plumbing(['update-ref', REMOTE_REF, commit], 'update-ref');
    return 'ok';
  }

  async reset(): Promise<void> {
    this.#objects.close();
    this.#walker = this.#newWalker();
    this.#ready = undefined;
    // An operation that starts while the folder is being removed waits for it (#init), instead
    // of setting up on the old folder and then spawning git in one that is gone (ENOENT).
    this.#removing = fs.rm(this.cacheDir, { recursive: true, force: true });
    await this.#removing;
  }

  async close(): Promise<void> {
    this.#objects.close();
  }

  #ensure(): Promise<void> {
    this.#ready ??= this.#init().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #init(): Promise<void> {
    await this.#removing;
    const dir = this.cacheDir;
    if (!(await exists(path.join(dir, 'HEAD')))) {
      await fs.mkdir(dir, { recursive: true });
      await this.#plumbing(['init', '--bare', '--quiet', dir], 'init', undefined, path.dirname(dir));
      // A private cache: no reflogs, no background gc, small imports stay loose objects.
      for (const [key, value] of [
        ['core.logAllRefUpdates', 'false'],
        ['gc.autoDetach', 'false'],
        ['fastimport.unpackLimit', '100'],
        ['fetch.unpackLimit', '100'],
      ] as const) {
        await this.#plumbing(['config', key, value], 'config');
      }
    }
  }

  /**
   * Fetch, push and ls-remote: killed once git stays silent for networkTimeoutMs (however
   * long a busy transfer takes); a failure becomes a typed error from git's own words.
   */
  async #network(args: string[], operation: 'fetch' | 'push' | 'ls-remote'): Promise<Buffer> {
    await this.#ensure();
    return this.#networkResult(await runGit(args, { cwd: this.cacheDir, env: this.#env.env, silenceMs: this.#opts.networkTimeoutMs }), operation);
  }

  #networkResult(result: RunGitResult, operation: 'fetch' | 'push' | 'ls-remote'): Buffer {
    if (result.code === 0) return result.stdout;
    const text = `${result.stdout.toString('utf8')}${result.stderr}` || `git ${operation} exited with code ${result.code}`;
    if (operation === 'push' && gitFailureKind(text, 'push') === 'rejected') {
      throw Object.assign(new Error('rejected'), { rejected: true, detail: text });
    }
    throw gitFailureError(text, operation, this.remoteLabel, this.#opts.branch);
  }

  #newWalker(): TreeWalker {
    return new TreeWalker({ readObjects: (oids) => this.#readObjects(oids), blobSizes: (oids) => this.#blobSizes(oids) });
  }

  /** Objects of the cache, any type; a missing or unreadable one is cache damage. */
  async #readObjects(oids: readonly string[]): Promise<Map<string, StoredObject>> {
    if (oids.length === 0) return new Map();
    await this.#ensure();
    const names = [...new Set(oids)];
    const answers = await this.#objects.read(names, 'contents');
    const missing = names.filter((_, i) => !answers[i]?.content);
    if (missing.length) throw missingObjects(missing);
    return new Map(names.map((n, i) => [n, { type: answers[i]!.type, content: answers[i]!.content! }]));
  }

  async #blobSizes(oids: readonly string[]): Promise<Map<string, number>> {
    await this.#ensure();
    const names = [...new Set(oids)];
    const answers = await this.#objects.read(names, 'info');
    const missing = names.filter((_, i) => !answers[i]);
    if (missing.length) throw missingObjects(missing);
    return new Map(names.map((n, i) => [n, answers[i]!.size]));
  }

  async #plumbing(args: string[], operation: string, input?: string | Uint8Array, cwd = this.cacheDir): Promise<Buffer> {
    const result = await runGit(args, { cwd, env: this.#env.env, ...(input === undefined ? {} : { input }) });
    if (result.code !== 0) throw gitFailureError(result.stderr, operation, this.remoteLabel, this.#opts.branch);
    return result.stdout;
  }
}

/** A local repository: push works when its refs and objects folders are writable by this user. */
async function probeLocalWrite(url: string, label: string): Promise<void> {
  const dir = url.startsWith('file://') ? fileURLToPath(url) : url;
  const gitDir = (await exists(path.join(dir, '.git'))) ? path.join(dir, '.git') : dir;
  for (const sub of ['refs', 'objects']) {
    try {
      await fs.access(path.join(gitDir, sub), fsConstants.W_OK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new RemoteUnreachableError(`${label} is not a git repository (no ${sub} folder)`, {
          hint: 'check the path, or create it with `gitfleet init --create`',
        });
      throw new AuthError(`this user may not write to ${path.join(gitDir, sub)}`, { hint: 'run as the user who owns the repository, or fix its permissions' });
    }
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
