/** Most branches a listing keeps: a remote may advertise any number of refs. */
export const MAX_BRANCHES = 10_000;

/** Branch names from advertised refs (refs/heads/<name>), sorted, bounded; other refs dropped. */
export function branchNames(refs: readonly string[]): string[] {
  const names = refs.filter((r) => r.startsWith('refs/heads/')).map((r) => r.slice('refs/heads/'.length));
  return [...new Set(names)].sort().slice(0, MAX_BRANCHES);
}
