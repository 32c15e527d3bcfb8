import type { CommitQueue, FileChange, GitBackend, QueuedCommit } from '../../git/GitBackend.js';
import { MAX_RECORD_BYTES } from '../../schema/recordKinds.js';
import { parseRecordFile } from '../parseRecordFile.js';
import { classifyPath } from '../recordPaths.js';
import { foldedLine, type OfferTerms, parseOfferTerms } from './offerMessage.js';

/** How many offers one fold looks at (the rest wait for the next fold). */
export const MAX_FOLD_OFFERS = 400;

export interface Fold {
  /** What the fold commit writes on the head. */
  changes: FileChange[];
  /** The offers applied, in the order applied. */
  folded: (QueuedCommit & { actor: string })[];
  /** Refs the fold push deletes: the applied offers, and offers no one may apply. */
  drop: QueuedCommit[];
  /** Offers dropped because they read something that changed (their writers plan again). */
  conflicting: number;
  /** The fold commit's trailers. */
  trailers: string;
}

interface Candidate {
  offer: QueuedCommit;
  base: string;
  terms: OfferTerms;
  /** A read path differs between its base and the head. */
  stale: boolean;
  /** Path -> blob at the offer (null: deleted) where it differs from the base. */
  writes: Map<string, string | null>;
}

/**
 * Which offers can be applied on `head`, in order, and the changes that makes. An offer (a
 * commit on the head its writer planned on, with the paths its plan read) is applied
 * exactly when none of those paths differs (mode or content) between that base and `head`,
 * nor was written by an offer applied before it in this fold: then its plan would decide
 * the same on `head` (optimistic concurrency, checked path by path). Only its changes at
 * those paths are taken, never the rest of its tree.
 *
 * Offers are untrusted (anyone who can push may add one). Every file one writes must be a
 * valid record of its path within its size, or the whole offer is refused; an offer past
 * its time, malformed, not a commit, planned on a base this cache cannot check, or a
 * second ref to a commit already taken is dropped too (its ref deleted by the fold push).
 * `offers` come in the order to apply them: the folder's own first.
 */
export async function buildFold(
  queue: CommitQueue,
  backend: Pick<GitBackend, 'readBlobs'>,
  head: string,
  offers: readonly QueuedCommit[],
  now: number,
): Promise<Fold> {
  const fold: Fold = { changes: [], folded: [], drop: [], conflicting: 0, trailers: '' };
  const looked = offers.slice(0, MAX_FOLD_OFFERS);
  const commits = await queue.readCommits(looked.map((o) => o.oid));
  const seen = new Set<string>();
  const parsed: { offer: QueuedCommit; base: string; terms: OfferTerms }[] = [];
  looked.forEach((offer, i) => {
    const commit = commits[i];
    const terms = commit ? parseOfferTerms(commit.message) : { refused: 'not a commit' };
    if (!commit || seen.has(offer.oid) || commit.parents.length !== 1 || 'refused' in terms || terms.until < now) fold.drop.push(offer);
    else parsed.push({ offer, base: commit.parents[0]!, terms });
    seen.add(offer.oid);
  });
  // A base this cache does not hold (older than its shallow start) cannot be checked: the
  // offer is dropped, and its writer, finding it gone and not folded, plans again.
  const bases = [...new Set(parsed.map((c) => c.base))];
  const held = await queue.readCommits(bases);
  const known = new Set(bases.filter((_, i) => held[i] !== null));
  const candidates: Candidate[] = [];
  for (const p of parsed) {
    if (known.has(p.base)) candidates.push({ ...p, stale: false, writes: new Map() });
    else fold.drop.push(p.offer);
  }
  const lookups = candidates.flatMap((c) => c.terms.reads.flatMap((path) => [c.base, head, c.offer.oid].map((commit) => ({ commit, path }))));
  const entries = await queue.entriesAt(lookups);
  let at = 0;
  for (const c of candidates) {
    for (const path of c.terms.reads) {
      const [inBase, inHead, inOffer] = [entries[at]!, entries[at + 1]!, entries[at + 2]!];
      at += 3;
      if (inBase !== inHead) c.stale = true;
      if (inOffer !== inBase) c.writes.set(path, inOffer === null ? null : inOffer.slice(inOffer.indexOf(' ') + 1));
    }
  }
  const blobs = [...new Set(candidates.filter((c) => !c.stale).flatMap((c) => [...c.writes.values()].filter((o): o is string => o !== null)))];
  const contents = await readAll(backend, blobs);
  const written = new Set<string>();
  for (const c of candidates) {
    if (c.stale || [...c.terms.reads].some((p) => written.has(p))) {
      // It can never apply again (unless a file went back to its old bytes): its ref is
      // dropped, and its writer, finding it gone and not folded, plans again.
      fold.conflicting++;
      fold.drop.push(c.offer);
      continue;
    }
    fold.drop.push(c.offer);
    // Refused whole: an empty offer, or one that would write anything but a valid record.
    if (c.writes.size === 0 || [...c.writes].some(([path, oid]) => oid !== null && !isValidRecordFile(path, contents.get(oid)))) continue;
    for (const [path, oid] of c.writes) {
      written.add(path);
      fold.changes.push({ path, content: oid === null ? null : contents.get(oid)! });
    }
    fold.folded.push({ ...c.offer, actor: c.terms.actor });
    fold.trailers += foldedLine(c.offer.oid, c.terms.actor);
  }
  return fold;
}

/** The blobs the cache holds (an offer's blob it lacks, or that is no blob, is left out: its offer is refused). */
async function readAll(backend: Pick<GitBackend, 'readBlobs'>, oids: string[]): Promise<Map<string, Uint8Array>> {
  try {
    return await backend.readBlobs(oids);
  } catch {
    const out = new Map<string, Uint8Array>();
    for (const oid of oids) {
      const one = await backend.readBlobs([oid]).catch(() => undefined);
      const content = one?.get(oid);
      if (content) out.set(oid, content);
    }
    return out;
  }
}

function isValidRecordFile(path: string, content: Uint8Array | undefined): boolean {
  const c = classifyPath(path);
  return c.type === 'record' && content !== undefined && content.byteLength <= MAX_RECORD_BYTES[c.kind] && parseRecordFile(c.kind, c.id, content).ok;
}
