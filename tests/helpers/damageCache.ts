import { promises as fs } from 'node:fs';
import path from 'node:path';

/** The backend's cache folder under a --cache-dir root (one per remote, branch and backend). */
export async function backendCacheDir(root: string, backend: string): Promise<string> {
  const names = (await fs.readdir(root)).filter((n) => n.includes(`-${backend}-`) && !n.endsWith('.lock'));
  if (names.length !== 1) throw new Error(`expected one ${backend} cache under ${root}, found ${names.join(', ') || 'none'}`);
  return path.join(root, names[0]!);
}

export interface Damage {
  removedLoose: string[];
  corruptedPacks: string[];
}

/**
 * Damages a git cache the way a full disk, a crash or a careless cleanup does: removes
 * a random share of its loose objects and, when it holds packs, flips bytes inside them
 * (or deletes their index). Returns what it did.
 */
export async function damageCache(gitDir: string, random: () => number, share = 0.3): Promise<Damage> {
  const objects = path.join(gitDir, 'objects');
  const loose: string[] = [];
  for (const dir of await fs.readdir(objects).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{2}$/.test(dir)) continue;
    for (const file of await fs.readdir(path.join(objects, dir))) loose.push(path.join(dir, file));
  }
  const removedLoose: string[] = [];
  for (const file of loose) {
    if (random() < share) {
      await fs.rm(path.join(objects, file), { force: true });
      removedLoose.push(file.replace('/', ''));
    }
  }
  // At least one object goes, or the test proves nothing.
  if (removedLoose.length === 0 && loose.length > 0) {
    const file = loose[Math.floor(random() * loose.length)]!;
    await fs.rm(path.join(objects, file), { force: true });
    removedLoose.push(file.replace('/', ''));
  }
  const corruptedPacks: string[] = [];
  const packDir = path.join(objects, 'pack');
  const packs = (await fs.readdir(packDir).catch(() => [] as string[])).filter((p) => p.endsWith('.pack'));
  // Every pack: a fetch may have brought a sound copy of some objects in a newer one.
  for (const name of packs) {
    if (removedLoose.length > 0 && random() < 0.3) continue;
    const pack = path.join(packDir, name);
    if (random() < 0.5) {
      await fs.rm(pack.replace(/\.pack$/, '.idx'), { force: true });
      corruptedPacks.push(`${name} (index deleted)`);
    } else {
      const bytes = await fs.readFile(pack);
      // Past the 12-byte header and before the 20-byte trailer: inside object data.
      for (let i = 0; i < 8; i++) {
        const at = 12 + Math.floor(random() * Math.max(1, bytes.length - 32));
        bytes[at] = bytes[at]! ^ 0xff;
      }
      await fs.writeFile(pack, bytes);
      corruptedPacks.push(`${name} (bytes flipped)`);
    }
  }
  return { removedLoose, corruptedPacks };
}
