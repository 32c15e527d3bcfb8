/**
 * FNV-1a, 32 bits, of a string's UTF-16 code units: a stable hash (the same in every process,
 * version and the browser) for spreading names over buckets, not for security. Archive shards
 * (recordPaths.shardOf) and relay tick phases (relayPhase.ts) use it.
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
