import { classifyPath } from '../recordPaths.js';
import { MAX_FOLDABLE_READS } from './ReadSet.js';

/** What an offer's commit message says about it, once checked. */
export interface OfferTerms {
  actor: string;
  /** The exact paths its plan read (every path it writes is among them). */
  reads: string[];
  /** No one folds it after this time (ms since the epoch): its writer gives up then. */
  until: number;
}

const ACTOR = /^(op:)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** The trailer a fold carries for every offer it folded: how a writer learns its offer landed. */
export const FOLDED_TRAILER = 'Gitfleet-Folded';

/** The message of an offer: the transaction's label and the terms another writer checks. */
export function offerMessage(subject: string, attempt: number, terms: OfferTerms): string {
  const reads = terms.reads.map((p) => `Gitfleet-Reads: ${p}\n`).join('');
  return `${subject}\n\nGitfleet-Actor: ${terms.actor}\nGitfleet-Attempt: ${attempt}\nGitfleet-Offer-Until: ${terms.until}\n${reads}`;
}

/**
 * The terms of an offer read from the remote, or why it cannot be folded. The message is
 * untrusted: every path must be one a record lives at (no docs, nothing outside the
 * record folders), there are at most MAX_FOLDABLE_READS of them, and the actor is one
 * gitfleet could have written.
 */
export function parseOfferTerms(message: string): OfferTerms | { refused: string } {
  if (message.length > 64 * 1024) return { refused: 'its message is too long' };
  const actor = /^Gitfleet-Actor: (.*)$/m.exec(message)?.[1] ?? '';
  if (!ACTOR.test(actor)) return { refused: 'no valid Gitfleet-Actor' };
  const until = Number(/^Gitfleet-Offer-Until: (\d{1,16})$/m.exec(message)?.[1] ?? Number.NaN);
  if (!Number.isSafeInteger(until)) return { refused: 'no valid Gitfleet-Offer-Until' };
  const reads = [...message.matchAll(/^Gitfleet-Reads: (.*)$/gm)].map((m) => m[1]!);
  if (reads.length === 0 || reads.length > MAX_FOLDABLE_READS) return { refused: `${reads.length} read paths` };
  for (const p of reads) {
    if (classifyPath(p).type !== 'record') return { refused: `${JSON.stringify(p.slice(0, 80))} is not a record path` };
  }
  return { actor, reads: [...new Set(reads)], until };
}

/** The trailer line that says a fold applied the offer `oid` of `actor`. */
export function foldedLine(oid: string, actor: string): string {
  return `${FOLDED_TRAILER}: ${oid} ${actor}\n`;
}

/** Whether a commit message says it folded the offer `oid`. */
export function saysFolded(message: string, oid: string): boolean {
  return message.includes(`\n${FOLDED_TRAILER}: ${oid} `);
}
