import { createHash } from 'node:crypto';

/** The git object id of a blob with this content (what `git hash-object` prints). */
export function blobId(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.byteLength}\0`).update(content).digest('hex');
}
