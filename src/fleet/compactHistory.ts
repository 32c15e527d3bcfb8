import type { Store } from '../store/Store.js';
import { ConflictError, UnsupportedError } from '../errors/index.js';
import type { Logger } from '../util/logger.js';

export interface CompactOptions {
  /** History older than this is squashed into one snapshot commit. */
  before: Date;
  dryRun?: boolean;
  logger?: Logger;
  /** For tests: runs just before the push (e.g. to push something concurrently). */
  beforePush?: () => Promise<void>;
}

export interface CompactResult {
  status: 'compacted' | 'nothing-to-compact' | 'dry-run';
  oldHead: string;
  newHead: string | null;
  /** Commits folded into the snapshot. */
  squashed: number;
  /** Newer commits re-created on top of it (same trees, authors, dates, messages). */
  kept: number;
  attempts: number;
}

const MAX_ATTEMPTS = 5;

/**
 * `gitfleet compact`: rewrites the history older than `before` into one snapshot commit
 * and re-creates every newer commit on top of it with its identical tree, so the head
 * has exactly the same content. The push is a rewrite guarded by a lease on the head it
 * read: if any writer pushed meanwhile, the rewrite is redone on the new head. Agents
 * and other clones recover by themselves: their next fetch takes the new history and
 * a transaction planned on the old one is rejected and replayed.
 */
export async function compactHistory(store: Store, options: CompactOptions): Promise<CompactResult> {
  const result = await store.withCache(async (backend) => {
    // An optional capability of the backend: the git CLI one has it, isomorphic-git does not.
    const history = backend.rewriteHistory;
    if (!history) throw new UnsupportedError('compaction needs the git CLI backend', { hint: 'run it with --backend cli' });
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const head = await backend.fetch();
      if (head === null) throw new UnsupportedError('the fleet branch does not exist', { hint: 'run `gitfleet init`' });
      await history.unshallow();
      const git = async (...args: string[]) => (await history.plumbing(args)).toString('utf8');
      const cutoff = Math.floor(options.before.getTime() / 1000);
      const base = (await git('rev-list', '-1', '--first-parent', `--before=${cutoff}`, head)).trim();
      const total = Number((await git('rev-list', '--count', '--first-parent', head)).trim());
      const olderCount = base ? Number((await git('rev-list', '--count', '--first-parent', base)).trim()) : 0;
      if (!base || olderCount <= 1) return { status: 'nothing-to-compact' as const, oldHead: head, newHead: null, squashed: 0, kept: total, attempts: attempt };
      const ids = (await git('rev-list', '--reverse', '--first-parent', `${base}..${head}`)).split('\n').filter((id) => /^[0-9a-f]{40}$/.test(id));
      const newer = ids.length ? readCommits(await history.plumbing(['cat-file', '--batch'], `${ids.join('\n')}\n`)) : [];
      if (options.dryRun) return { status: 'dry-run' as const, oldHead: head, newHead: null, squashed: olderCount, kept: newer.length, attempts: attempt };
      const baseTree = (await git('rev-parse', `${base}^{tree}`)).trim();
      const baseTime = (await git('log', '-1', '--format=%ct', base)).trim();
      const stream = fastImportStream(baseTree, baseTime, base, olderCount, options.before, newer);
      const newHead = (await history.plumbing(['fast-import', '--quiet', '--done', '--force'], stream)).toString('utf8').trim();
      // The rewrite must not change a byte of the current content.
      const [oldTree, newTree] = await Promise.all([git('rev-parse', `${head}^{tree}`), git('rev-parse', `${newHead}^{tree}`)]);
      if (oldTree.trim() !== newTree.trim())
        throw new Error(`compaction produced a different tree (${newTree.trim()} != ${oldTree.trim()}); nothing was pushed`);
      await options.beforePush?.();
      const pushed = await history.pushRewrite(newHead, head);
      if (pushed === 'ok') return { status: 'compacted' as const, oldHead: head, newHead, squashed: olderCount, kept: newer.length, attempts: attempt };
      options.logger?.info('compact.retry', { reason: 'the branch moved during the rewrite', attempt });
    }
    throw new ConflictError(`the branch kept moving during ${MAX_ATTEMPTS} compaction attempts`, {
      hint: 'nothing was changed; try again when the fleet is quieter',
    });
  });
  if (result.status === 'compacted') store.forgetHead();
  return result;
}

interface LogCommit {
  tree: string;
  /** The author and committer lines as the commit holds them ("Name <email> time zone"). */
  author: Buffer;
  committer: Buffer;
  message: Buffer;
}

/**
 * The commits to keep, copied from their objects byte for byte (`git cat-file --batch`
 * output): a commit message or an author name may hold any byte, and a rewrite that
 * parsed them from formatted log text could be steered by a separator inside them.
 */
function readCommits(out: Buffer): LogCommit[] {
  const commits: LogCommit[] = [];
  let pos = 0;
  while (pos < out.length) {
    const eol = out.indexOf(0x0a, pos);
    if (eol < 0) break;
    const [, type, size] = out.subarray(pos, eol).toString('latin1').split(' ');
    if (type !== 'commit')
      throw new Error(`compaction: expected a commit, git cat-file said ${JSON.stringify(out.subarray(pos, eol).toString('latin1').slice(0, 80))}`);
    const body = out.subarray(eol + 1, eol + 1 + Number(size));
    pos = eol + 2 + Number(size);
    const blank = body.indexOf('\n\n');
    const header = (blank < 0 ? body : body.subarray(0, blank)).toString('latin1').split('\n');
    const field = (key: string) => header.find((l) => l.startsWith(`${key} `))?.slice(key.length + 1);
    const [tree, author, committer] = [field('tree'), field('author'), field('committer')];
    if (!tree || !author || !committer) throw new Error('compaction: a commit without tree, author or committer; nothing was pushed');
    commits.push({
      tree,
      author: Buffer.from(author, 'latin1'),
      committer: Buffer.from(committer, 'latin1'),
      message: blank < 0 ? Buffer.alloc(0) : body.subarray(blank + 2),
    });
  }
  return commits;
}

function fastImportStream(baseTree: string, baseTime: string, base: string, squashed: number, before: Date, newer: LogCommit[]): Buffer {
  const parts: Buffer[] = [];
  const text = (t: string) => parts.push(Buffer.from(t, 'utf8'));
  const data = (bytes: Buffer) => {
    text(`data ${bytes.byteLength}\n`);
    parts.push(bytes);
    text('\n');
  };
  const ref = 'refs/gitfleet/compact';
  const message =
    `gitfleet compact: snapshot of the fleet before ${before.toISOString()}\n\n` +
    `${squashed} older commits were folded into this one.\nGitfleet-Compacted-From: ${base}\nGitfleet-Actor: gitfleet\n`;
  text(`reset ${ref}\n\ncommit ${ref}\nmark :1\n`);
  text(`author gitfleet <gitfleet@gitfleet.invalid> ${baseTime} +0000\ncommitter gitfleet <gitfleet@gitfleet.invalid> ${baseTime} +0000\n`);
  data(Buffer.from(message, 'utf8'));
  text(`M 040000 ${baseTree} ""\n\n`);
  newer.forEach((c, i) => {
    text(`commit ${ref}\nmark :${i + 2}\nauthor `);
    parts.push(c.author);
    text('\ncommitter ');
    parts.push(c.committer);
    text('\n');
    data(c.message);
    text(`from :${i + 1}\nM 040000 ${c.tree} ""\n\n`);
  });
  text(`get-mark :${newer.length + 1}\ndone\n`);
  return Buffer.concat(parts);
}
