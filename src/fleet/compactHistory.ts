import type { Fleet } from '../config/openFleet.js';
import { ConflictError, UnsupportedError } from '../errors/index.js';
import { CliBackend } from '../git/CliBackend.js';
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
export async function compactHistory(fleet: Fleet, options: CompactOptions): Promise<CompactResult> {
  const backend = fleet.store.backend;
  if (!(backend instanceof CliBackend)) {
    throw new UnsupportedError('compaction needs the git CLI backend', { hint: 'run it with --backend cli' });
  }
  const result = await fleet.store.withCache(async () => {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const head = await backend.fetch();
      if (head === null) throw new UnsupportedError('the fleet branch does not exist', { hint: 'run `gitfleet init`' });
      await backend.unshallow();
      const git = async (...args: string[]) => (await backend.plumbing(args)).toString('utf8');
      const cutoff = Math.floor(options.before.getTime() / 1000);
      const base = (await git('rev-list', '-1', '--first-parent', `--before=${cutoff}`, head)).trim();
      const total = Number((await git('rev-list', '--count', '--first-parent', head)).trim());
      const olderCount = base ? Number((await git('rev-list', '--count', '--first-parent', base)).trim()) : 0;
      if (!base || olderCount <= 1) return { status: 'nothing-to-compact' as const, oldHead: head, newHead: null, squashed: 0, kept: total, attempts: attempt };
      const newer = parseLog(await git('log', '-z', '--reverse', '--first-parent', '--date=raw', `--format=${FORMAT}`, `${base}..${head}`));
      if (options.dryRun) return { status: 'dry-run' as const, oldHead: head, newHead: null, squashed: olderCount, kept: newer.length, attempts: attempt };
      const baseTree = (await git('rev-parse', `${base}^{tree}`)).trim();
      const baseTime = (await git('log', '-1', '--format=%ct', base)).trim();
      const stream = fastImportStream(baseTree, baseTime, base, olderCount, options.before, newer);
      const newHead = (await backend.plumbing(['fast-import', '--quiet', '--done', '--force'], stream)).toString('utf8').trim();
      // The rewrite must not change a byte of the current content.
      const [oldTree, newTree] = await Promise.all([git('rev-parse', `${head}^{tree}`), git('rev-parse', `${newHead}^{tree}`)]);
      if (oldTree.trim() !== newTree.trim()) throw new Error(`compaction produced a different tree (${newTree.trim()} != ${oldTree.trim()}); nothing was pushed`);
      await options.beforePush?.();
      const pushed = await backend.pushRewrite(newHead, head);
      if (pushed === 'ok') return { status: 'compacted' as const, oldHead: head, newHead, squashed: olderCount, kept: newer.length, attempts: attempt };
      options.logger?.info('compact.retry', { reason: 'the branch moved during the rewrite', attempt });
    }
    throw new ConflictError(`the branch kept moving during ${MAX_ATTEMPTS} compaction attempts`, { hint: 'nothing was changed; try again when the fleet is quieter' });
  });
  if (result.status === 'compacted') fleet.store.forgetHead();
  return result;
}

interface LogCommit {
  tree: string;
  author: string;
  committer: string;
  message: string;
}

const FORMAT = '%T%x1f%an <%ae> %ad%x1f%cn <%ce> %cd%x1f%B';

function parseLog(text: string): LogCommit[] {
  return text
    .split('\0')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [tree, author, committer, ...message] = chunk.replace(/^\n/, '').split('\x1f');
      return { tree: tree!, author: author!, committer: committer!, message: message.join('\x1f') };
    });
}

function fastImportStream(baseTree: string, baseTime: string, base: string, squashed: number, before: Date, newer: LogCommit[]): Buffer {
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const ref = 'refs/gitfleet/compact';
  const message =
    `gitfleet compact: snapshot of the fleet before ${before.toISOString()}\n\n` +
    `${squashed} older commits were folded into this one.\nGitfleet-Compacted-From: ${base}\nGitfleet-Actor: gitfleet\n`;
  parts.push(`reset ${ref}\n\ncommit ${ref}\nmark :1\n`);
  parts.push(`author gitfleet <gitfleet@gitfleet.invalid> ${baseTime} +0000\ncommitter gitfleet <gitfleet@gitfleet.invalid> ${baseTime} +0000\n`);
  parts.push(data(message), `M 040000 ${baseTree} ""\n\n`);
  newer.forEach((c, i) => {
    parts.push(`commit ${ref}\nmark :${i + 2}\nauthor ${c.author}\ncommitter ${c.committer}\n`, data(c.message), `from :${i + 1}\nM 040000 ${c.tree} ""\n\n`);
  });
  parts.push(`get-mark :${newer.length + 1}\ndone\n`);
  return Buffer.from(parts.join(''), 'utf8');
}
