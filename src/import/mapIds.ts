import { createHash } from 'node:crypto';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The closest DNS label to a foreign id: lowercase, runs of other characters as one "-", at most 63 characters. */
export function toDnsLabel(text: string): string {
  const label = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label.length > 0 ? label : 'x';
}

/** Six hex digits of a hash of the original: the same original always gets the same suffix. */
export function idSuffix(original: string): string {
  return createHash('sha256').update(original, 'utf8').digest('hex').slice(0, 6);
}

/**
 * Valid gitfleet ids for foreign ids, deterministically: an id that is a DNS label
 * already keeps it; another takes its closest label (job_1761781030 -> job-1761781030).
 * When several originals come to the same label, the one that is that label exactly (or
 * else none) keeps it and the others take a suffix from a hash of their original, so the
 * result does not depend on the order the originals were found in.
 */
export function mapIds(originals: Iterable<string>): Map<string, string> {
  const groups = new Map<string, string[]>();
  for (const original of new Set(originals)) {
    const base = toDnsLabel(original);
    groups.set(base, [...(groups.get(base) ?? []), original]);
  }
  const out = new Map<string, string>();
  for (const [base, members] of groups) {
    for (const original of members) {
      const exact = original === base && LABEL.test(original);
      const alone = members.length === 1;
      out.set(original, exact || alone ? base : `${base.slice(0, 56).replace(/-+$/, '')}-${idSuffix(original)}`);
    }
  }
  return out;
}
