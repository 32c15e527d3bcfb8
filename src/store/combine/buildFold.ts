import type { CommitQueue, FileChange, GitBackend, QueuedCommit } from '../../git/GitBackend.js';
import { MAX_RECORD_BYTES } from '../../schema/recordKinds.js';
import { parseRecordFile } from '../parseRecordFile.js';
import { classifyPath } from '../recordPaths.js';
import { foldedLine, type OfferTerms, parseOfferTerms } from './offerMessage.js';

/** How many offers one fold applies at most (the rest wait for the next fold). */
export const MAX_FOLD_OFFERS = 400;

export interface Fold {
  /** What the fold commit writes on the head. */
  changes: FileChange[];
  /** The offers applied, oldest first. */
  folded: (QueuedCommit & { actor: string })[];
  /** Refs the fold push deletes: the folded offers, and offers no one may fold (expired, malformed, conflicting). */
  drop: QueuedCommit[];
  /** Offers that read something that changed: dropped too (their writers plan again). */
  conflicting: number;
  /** The fold commit's trailers. */
  trailers: string;
}

interface Candidate {
  offer: QueuedCommit;
  base: string;
  terms: OfferTerms;
}

/**
 * Which offers can be applied on `head`, and the changes that applies. An offer (a commit
 * on the head its writer planned on, with the paths its plan read) is applied exactly when
 * none of those paths differs between that base and `head`, nor was written by an offer
 * applied before it in this fold: then its plan would decide the same on `head`
 * (optimistic concurrency, checked path by path), and only its changes at those paths
 * are taken, never the rest of its tree. Offers are untrusted (anyone who can push may
 * add one): each file it writes must be a valid record at its path and within its size,
 * or the whole offer is refused and its ref deleted, as one past its time is.
 */
export async function buildFold(
  queue: CommitQueue,
  backend: Pick<GitBackend, 'readBlobs'>,
  head: string,
  offers: readonly QueuedCommit[],
  now: number,
): Promise<Fold> {
  const fold: Fold = { changes: [], folded: [], drop: [], conflicting: 0, trailers: '' };
  const unique = [...new Map(offers.map((o) => [o.oid, o])).values()].slice(0, MAX_FOLD_OFFERS);
  const commits = await queue.readCommits(unique.map((o) => o.oid));
  const candidates: Candidate[] = [];
  unique.forEach((offer, i) => {
    const commit = commits[i];
    if (!commit) return; // Not in this cache (yet): left alone.
    const terms = parseOfferTerms(commit.message);
    if (commit.parents.length !== 1 || 'refused' in terms || terms.until < now) fold.drop.push(offer);
    else candidates.push({ offer, base: commit.parents[0]!, terms });
  });
  // Bases this cache does not hold (older than its shallow start) cannot be checked: left alone.
  const bases = await queue.readCommits([...new Set(candidates.map((c) => c.base))]);
  const known = new Set([...new Set(candidates.map((c) => c.base))].filter((_, i) => bases[i] !== null));
  const checkable = candidates.filter((c) => known.has(c.base));
  const lookups = checkable.flatMap((c) => c.terms.reads.flatMap((p) => [c.base, head, c.offer.oid].map((commit) => ({ commit, path: p }))));
  const blobs = await queue.blobsAt(lookups);
  const written = new Map<string, string | null>();
  let at = 0;
  const accepted: { candidate: Candidate; writes: Map<string, string | null> }[] = [];
  for (const candidate of checkable) {
    let conflict = false;
    const writes = new Map<string, string | null>();
    for (const p of candidate.terms.reads) {
      const [inBase, inHead, inOffer] = [blobs[at]!, blobs[at + 1]!, blobs[at + 2]!];
      at += 3;
      if (inBase !== inHead || written.has(p)) conflict = true;
      if (inOffer !== inBase) writes.set(p, inOffer);
    }
    if (conflict) {
      // It can never apply again (unless a file went back to its old bytes): its ref is
      // dropped, and its writer, finding it gone and not folded, plans again.
      fold.conflicting++;
      fold.drop.push(candidate.offer);
    } else if (writes.size === 0) fold.drop.push(candidate.offer);
    else {
      accepted.push({ candidate, writes });
      for (const [p, oid] of writes) written.set(p, oid);
    }
  }
  const contents = await backend.readBlobs([...new Set([...written.values()].filter((o): o is string => o !== null))]);
  const refused = new Set<Candidate>();
  for (const { candidate, writes } of accepted) {
    for (const [p, oid] of writes) {
      if (oid === null) continue;
      const c = classifyPath(p);
      const content = contents.get(oid);
      if (c.type !== 'record' || !content || content.byteLength > MAX_RECORD_BYTES[c.kind] || !parseRecordFile(c.kind, c.id, content).ok) {
        refused.add(candidate);
      }
    }
  }
  // A refused offer's writes are not applied; offers after it that read those paths were
  // dropped as conflicting: their writers plan again on the new head.
  for (const { candidate, writes } of accepted) {
    if (refused.has(candidate)) {
      fold.drop.push(candidate.offer);
      continue;
    }
    for (const [p, oid] of writes) fold.changes.push({ path: p, content: oid === null ? null : contents.get(oid)! });
    fold.folded.push({ ...candidate.offer, actor: candidate.terms.actor });
    fold.drop.push(candidate.offer);
    fold.trailers += foldedLine(candidate.offer.oid, candidate.terms.actor);
  }
  return fold;
}
