import type { CommitMeta, FileChange } from './GitBackend.js';

/**
 * The input for `git fast-import` that writes one commit on `parent` with the given
 * changes, straight into the object store: no index, no working tree, one process for
 * any number of files. `get-mark` makes fast-import print the new commit id.
 * Paths are validated record paths (no quoting needed); contents are raw bytes.
 */
export function buildFastImport(ref: string, parent: string | null, changes: readonly FileChange[], meta: CommitMeta): Buffer {
  const parts: Buffer[] = [];
  const text = (s: string) => parts.push(Buffer.from(s, 'utf8'));
  const data = (bytes: Uint8Array) => {
    text(`data ${bytes.byteLength}\n`);
    parts.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    text('\n');
  };
  const who = `${meta.authorName} <${meta.authorEmail}> ${Math.floor(meta.time / 1000)} +0000`;
  // Without a parent the scratch ref is reset first, or fast-import would continue it.
  if (parent === null) text(`reset ${ref}\n\n`);
  text(`commit ${ref}\nmark :1\nauthor ${who}\ncommitter ${who}\n`);
  data(Buffer.from(meta.message, 'utf8'));
  if (parent !== null) text(`from ${parent}\n`);
  for (const change of changes) {
    if (change.content === null) {
      text(`D ${change.path}\n`);
    } else {
      text(`M 100644 inline ${change.path}\n`);
      data(change.content);
    }
  }
  text('\nget-mark :1\ndone\n');
  return Buffer.concat(parts);
}
