import type { ParsedCommit } from './commitObject.js';

/**
 * How many commits `to` is ahead of `from` along first parents: the commits that landed
 * between two heads a reader saw (gitfleet's branch is linear, every push a fast-forward;
 * the coordinator measures the fleet's push rate with it). Undefined when `from` is not
 * among the first `limit` ancestors, or an object is not in the cache (a shallow
 * boundary, a rewritten history): the answer is a measurement, and a missing one must
 * never fail the caller.
 */
export async function countLanded(readCommit: (oid: string) => Promise<ParsedCommit>, from: string, to: string, limit: number): Promise<number | undefined> {
  let oid = to;
  for (let count = 0; count <= limit; count++) {
    if (oid === from) return count;
    let parent: string | undefined;
    try {
      parent = (await readCommit(oid)).parents[0];
    } catch {
      return undefined;
    }
    if (!parent) return undefined;
    oid = parent;
  }
  return undefined;
}
