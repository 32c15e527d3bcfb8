import { MAX_RECORD_BYTES } from '../../../src/schema/recordKinds.js';
import { classifyPath } from '../../../src/store/recordPaths.js';
import type { DataSource } from './DataSource.js';
import { SourceError } from './DataSource.js';
import type { RawFleet } from './FleetData.js';
import { gitBlobSha } from './gitBlobSha.js';
import { fetchRaw, githubApi, type GitHubTarget } from './githubApi.js';

interface CompareReply {
  status?: string;
  total_commits?: number;
  commits?: { sha?: string }[];
  files?: { filename?: string; status?: string; previous_filename?: string; raw_url?: string }[];
}
interface TreeReply {
  truncated?: boolean;
  tree?: { path?: string; type?: string; sha?: string; size?: number }[];
}

const SHA = /^[0-9a-f]{40}$/;
/** GitHub's compare lists at most 300 files; a reply that long may be cut. */
const COMPARE_FILE_LIMIT = 300;
const PARALLEL_RAW = 8;
const LARGEST = Math.max(...Object.values(MAX_RECORD_BYTES));

/**
 * Live refresh from GitHub for an anonymous visitor: never more than one API call per
 * refresh. From a known commit, one `compare` says which records changed (a 304 when
 * nothing did, which costs no quota); only those are fetched, from raw URLs pinned to the
 * new head commit. When compare cannot answer (history rewritten by compaction, over 300
 * files changed, no commit known yet) the next refresh lists the tree of the head commit
 * instead and fetches the files whose blob ids differ from what the page holds.
 */
export class GitHubSource implements DataSource {
  readonly kind = 'github';
  apiCalls = 0;
  #etag: string | null = null;
  /** Commit whose tree to list on the next refresh. */
  #treeOf: string | null = null;
  /** Blob ids of the files held, where known (from a tree listing). */
  #shas = new Map<string, string>();
  /** The commit the page holds is unknown to the branch: learn the head on the next refresh. */
  #needHead = false;

  constructor(
    private readonly target: GitHubTarget,
    /** From dashboard.json; by default it depends on the token (see refreshSeconds). */
    private readonly configuredSeconds: number | undefined,
    private readonly token: () => string | null,
  ) {}

  /**
   * An anonymous visitor has 60 API calls an hour per IP address: every 2 minutes leaves
   * room for a second tab and a few manual refreshes. A token has 5,000.
   */
  get refreshSeconds(): number {
    return this.configuredSeconds ?? (this.token() ? 30 : 120);
  }

  async refresh(current: RawFleet | null, signal: AbortSignal): Promise<{ fleet: RawFleet | null; again?: boolean }> {
    if (this.#treeOf) return { fleet: await this.#fromTree(this.#treeOf, current, signal) };
    if (this.#needHead || !current?.commit) return this.#learnHead(signal);
    return this.#compare(current, signal);
  }

  async #learnHead(signal: AbortSignal): Promise<{ fleet: null; again: boolean }> {
    const reply = await this.#api(`commits/${encodeURIComponent(this.target.branch)}`, signal, 'application/vnd.github.sha');
    if (reply.status === 304) return { fleet: null, again: false };
    const sha = reply.text.trim();
    if (!SHA.test(sha)) throw new SourceError('invalid', 'GitHub did not answer with a commit id');
    this.#needHead = false;
    this.#treeOf = sha;
    return { fleet: null, again: true };
  }

  /** The next refresh learns the head, then lists its tree: this one has made its API call. */
  #startOver(): { fleet: null; again: true } {
    this.#needHead = true;
    return { fleet: null, again: true };
  }

  async #compare(current: RawFleet, signal: AbortSignal): Promise<{ fleet: RawFleet | null; again?: boolean }> {
    let reply;
    try {
      reply = await this.#api(`compare/${current.commit}...${encodeURIComponent(this.target.branch)}`, signal, undefined, this.#etag);
    } catch (error) {
      // The commit the page holds is gone from the branch (compacted history): start over from the tree.
      if (error instanceof SourceError && error.code === 'not-found') return this.#startOver();
      throw error;
    }
    if (reply.status === 304) return { fleet: null };
    const body = reply.body as CompareReply;
    if (body.status === 'identical') {
      this.#etag = reply.etag;
      return { fleet: null };
    }
    const commits = Array.isArray(body.commits) ? body.commits : [];
    // No file list at all is not "nothing changed": the tree will tell.
    const files = Array.isArray(body.files) ? body.files : null;
    const head = headOf(body, commits, files ?? []);
    if (head === null) return this.#startOver();
    if (body.status !== 'ahead' || files === null || files.length >= COMPARE_FILE_LIMIT) {
      this.#treeOf = head;
      return { fleet: null, again: true };
    }
    const next = new Map(current.files);
    const skipped = current.skipped.filter((s) => !files.some((f) => f.filename === s.path));
    const wanted: string[] = [];
    for (const f of files) {
      if (typeof f.filename !== 'string') continue;
      // A file renamed away (e.g. into an archive) leaves its old path, whatever the new one is.
      if (typeof f.previous_filename === 'string') next.delete(f.previous_filename);
      const c = classifyPath(f.filename);
      if (c.type === 'ignored' || (c.type === 'record' && c.month !== undefined)) continue;
      this.#shas.delete(f.filename);
      if (f.status === 'removed') next.delete(f.filename);
      else wanted.push(f.filename);
    }
    await this.#fetchInto(head, wanted, next, skipped, signal);
    // Only now: a failed fetch must not turn the retry of this compare into a 304.
    this.#etag = reply.etag;
    return { fleet: { commit: head, generatedAt: new Date().toISOString(), files: next, skipped } };
  }

  async #fromTree(commit: string, current: RawFleet | null, signal: AbortSignal): Promise<RawFleet> {
    const reply = await this.#api(`git/trees/${commit}?recursive=1`, signal);
    if (reply.status === 304) throw new SourceError('invalid', 'GitHub answered 304 to an unconditional request');
    const body = reply.body as TreeReply;
    if (!Array.isArray(body.tree)) throw new SourceError('invalid', "GitHub's tree reply has no tree");
    const next = new Map<string, string>();
    const skipped: RawFleet['skipped'] = [];
    const wanted: string[] = [];
    const held = await this.#heldShas(current);
    for (const entry of body.tree) {
      if (entry.type !== 'blob' || typeof entry.path !== 'string' || typeof entry.sha !== 'string') continue;
      const c = classifyPath(entry.path);
      if (c.type === 'ignored' || (c.type === 'record' && c.month !== undefined)) continue;
      const limit = c.type === 'record' ? MAX_RECORD_BYTES[c.kind] : LARGEST;
      if (typeof entry.size === 'number' && entry.size > limit) {
        skipped.push({ path: entry.path, reason: `file is ${entry.size} bytes, larger than the ${limit} a record of its kind may be` });
        continue;
      }
      const text = current?.files.get(entry.path);
      if (text !== undefined && held.get(entry.path) === entry.sha) next.set(entry.path, text);
      else wanted.push(entry.path);
      this.#shas.set(entry.path, entry.sha);
    }
    const listed = new Set(body.tree.map((e) => e.path));
    for (const path of this.#shas.keys()) if (!listed.has(path)) this.#shas.delete(path);
    if (body.truncated) skipped.push({ path: '(tree)', reason: 'GitHub cut the tree listing short: some records are missing' });
    await this.#fetchInto(commit, wanted, next, skipped, signal);
    this.#treeOf = null;
    this.#etag = null;
    return { commit, generatedAt: new Date().toISOString(), files: next, skipped };
  }

  /** The blob id of every file the page holds: known from the last tree, else hashed (all at once, not one await per file). */
  async #heldShas(current: RawFleet | null): Promise<Map<string, string>> {
    const entries = [...(current?.files ?? [])];
    const shas = await Promise.all(entries.map(([path, text]) => this.#shas.get(path) ?? gitBlobSha(text)));
    return new Map(entries.map(([path], i) => [path, shas[i]!]));
  }

  async #fetchInto(commit: string, paths: string[], into: Map<string, string>, skipped: RawFleet['skipped'], signal: AbortSignal): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < paths.length) {
        const path = paths[next++]!;
        const c = classifyPath(path);
        const got = await fetchRaw(this.target, commit, path, c.type === 'record' ? MAX_RECORD_BYTES[c.kind] : LARGEST, signal);
        if ('text' in got) into.set(path, got.text);
        else if (got.tooLarge) {
          into.delete(path);
          skipped.push({ path, reason: got.error });
        } else {
          // A hiccup of the raw host (a 503, a 404 just after a push): keep the commit the
          // page holds and try the whole change again, rather than lose the record.
          throw new SourceError('http', `${path}: ${got.error}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_RAW, paths.length) }, worker));
  }

  #api(path: string, signal: AbortSignal, accept?: string, etag?: string | null) {
    this.apiCalls++;
    return githubApi(this.target, path, { token: this.token(), signal, ...(accept ? { accept } : {}), etag: etag ?? null });
  }
}

/** The head commit of a compare reply: its last commit when the list is whole, else the commit in the files' raw URLs. */
function headOf(body: CompareReply, commits: { sha?: string }[], files: CompareReply['files'] & object): string | null {
  const last = commits[commits.length - 1]?.sha;
  if (typeof last === 'string' && SHA.test(last) && body.total_commits === commits.length) return last;
  for (const f of files) {
    if (f.status === 'removed') continue;
    const m = typeof f.raw_url === 'string' ? /\/([0-9a-f]{40})\//.exec(f.raw_url) : null;
    if (m) return m[1]!;
  }
  return null;
}
