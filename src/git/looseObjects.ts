import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

/**
 * Writes one object into a repository as git does for a loose object (zlib of
 * "<type> <size>\0<content>", named by its SHA-1, written to a temporary file and renamed
 * into place), and returns its id. The CLI backend builds its commits this way instead of
 * running `git fast-import`: a commit is a handful of small objects, and a process per
 * attempt cost more than writing them (measured: spawning git is ~2.5 ms of the node
 * process's own CPU, plus the process). An object that exists already is left alone.
 */
export async function writeLooseObject(gitdir: string, type: 'blob' | 'tree' | 'commit', content: Uint8Array): Promise<string> {
  const header = Buffer.from(`${type} ${content.byteLength}\0`, 'latin1');
  const oid = createHash('sha1').update(header).update(content).digest('hex');
  const folder = path.join(gitdir, 'objects', oid.slice(0, 2));
  const file = path.join(folder, oid.slice(2));
  if (await exists(file)) return oid;
  await fs.mkdir(folder, { recursive: true });
  const temp = path.join(folder, `tmp_obj_${randomBytes(6).toString('hex')}`);
  // Level 1, git's own default for loose objects (core.looseCompression): they are small and short-lived.
  await fs.writeFile(temp, deflateSync(Buffer.concat([header, content]), { level: 1 }), { mode: 0o444 });
  await fs.rename(temp, file);
  return oid;
}

/**
 * Points a ref of the repository at `oid` by writing its loose ref file (temporary file
 * and rename, as git's own lock file does). Only for refs gitfleet alone writes in a cache
 * it holds the lock of; a loose ref overrides a packed one of the same name.
 */
export async function writeLooseRef(gitdir: string, ref: string, oid: string): Promise<void> {
  if (!/^refs\/gitfleet\/[a-z]+$/.test(ref) || !/^[0-9a-f]{40}$/.test(oid)) throw new Error(`refusing to write ref ${ref} = ${oid}`);
  const file = path.join(gitdir, ref);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.lock`;
  await fs.writeFile(temp, `${oid}\n`);
  await fs.rename(temp, file);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
