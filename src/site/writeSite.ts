import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors/index.js';
import type { Snapshot } from '../store/Snapshot.js';
import { parseJsonSafely } from '../util/parseJsonSafely.js';
import { writeFileAtomic } from '../util/writeFileAtomic.js';
import type { SiteSnapshot } from './buildSiteSnapshot.js';
import { dashboardAssetsDir } from './dashboardAssets.js';
import { isSourceMap, withoutSourceMapLink } from './sourceMaps.js';
import { checkDashboardConfig, type DashboardConfig } from './dashboardConfig.js';
import { dashboardCsp, withCsp } from './dashboardCsp.js';
import { writeBadges } from './writeBadges.js';
import { writeSiteSnapshot } from './writeSiteSnapshot.js';

/** Written last into every site; its presence (in the right format) marks a folder as ours to replace. */
export const DASHBOARD_CONFIG_FILE = 'dashboard.json';

export interface WriteSiteOptions {
  /** The folder the site goes to; it is replaced as a whole. */
  out: string;
  config: DashboardConfig;
  /** Reads the fleet; called only after the checks, so a refused folder costs no fetch. */
  readSnapshot: () => Promise<Snapshot>;
  /** The built dashboard (default: dist/dashboard). */
  assetsDir?: string;
  /** Publish the source maps too (default false: they show the sources, paths of the build machine included). */
  sourceMaps?: boolean;
  now?: Date;
  /**
   * The fleet repository's URL, as `gitfleet status` passes it to the fleet settings (the
   * badges' health); asked after readSnapshot, which is what opens the fleet.
   */
  remoteUrl?: () => string;
}

export interface WriteSiteResult {
  dir: string;
  /** Every file of the site, relative to `dir`, sorted. */
  files: string[];
  site: SiteSnapshot;
  config: DashboardConfig;
  /** Whether an earlier site was replaced. */
  replaced: boolean;
}

type OutState = 'missing' | 'empty' | 'site';

/**
 * Writes a complete static site for GitHub Pages: the built dashboard, snapshot.json,
 * dashboard.json and the Shields.io badges (badges/, writeBadges.ts). Everything is written into a temporary folder beside `out` and renamed
 * into place, so a failure (a lost network, a full disk) leaves the previous site or
 * nothing, never half of one. Only an empty folder or an earlier site is replaced:
 * `--out .` by mistake must not delete a checkout.
 */
export async function writeSite(options: WriteSiteOptions): Promise<WriteSiteResult> {
  const checked = checkDashboardConfig(options.config);
  if ('error' in checked) throw new UsageError(`refusing to write dashboard.json: ${checked.error}`);
  const dir = path.resolve(options.out);
  const state = await outState(dir);
  const assets = options.assetsDir ?? dashboardAssetsDir();
  const snapshot = await options.readSnapshot();

  const parent = path.dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  const tmp = await fs.mkdtemp(path.join(parent, `.${path.basename(dir)}.gitfleet-site-`));
  let files: string[];
  let site: SiteSnapshot;
  try {
    await copyRegularFiles(assets, tmp, options.sourceMaps ?? false);
    // The page may only talk to the hosts its dashboard.json names.
    const index = path.join(tmp, 'index.html');
    await writeFileAtomic(index, withCsp(await fs.readFile(index, 'utf8'), dashboardCsp(checked.config)), 0o644);
    ({ site } = await writeSiteSnapshot(snapshot, tmp, options.now));
    await writeBadges(snapshot, tmp, options.remoteUrl?.() ?? '', (options.now ?? new Date()).getTime());
    await writeFileAtomic(path.join(tmp, DASHBOARD_CONFIG_FILE), `${JSON.stringify(checked.config, null, 2)}\n`, 0o644);
    // Modes set explicitly: the umask of a CI runner must not make the site unreadable.
    files = await publishModes(tmp);
    await swapInto(tmp, dir, state);
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return { dir, files, site, config: checked.config, replaced: state === 'site' };
}

async function outState(dir: string): Promise<OutState> {
  let stat;
  try {
    stat = await fs.lstat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  if (stat.isSymbolicLink()) throw new UsageError(`--out ${dir} is a symbolic link`, { hint: 'give the folder it points to' });
  if (!stat.isDirectory()) throw new UsageError(`--out ${dir} is a file, not a folder`, { hint: 'choose a new or empty folder' });
  if ((await fs.readdir(dir)).length === 0) return 'empty';
  if (await isSite(dir)) return 'site';
  throw new UsageError(`--out ${dir} is not empty and holds no site written by gitfleet site (no valid ${DASHBOARD_CONFIG_FILE})`, {
    hint: 'choose a new or empty folder: gitfleet site replaces the whole folder',
  });
}

async function isSite(dir: string): Promise<boolean> {
  const file = path.join(dir, DASHBOARD_CONFIG_FILE);
  try {
    const stat = await fs.lstat(file);
    if (!stat.isFile() || stat.size > 64 * 1024) return false;
    const parsed = parseJsonSafely(await fs.readFile(file, 'utf8'));
    return parsed.error === undefined && 'config' in checkDashboardConfig(parsed.value);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function copyRegularFiles(from: string, to: string, sourceMaps: boolean): Promise<void> {
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await fs.mkdir(target);
      await copyRegularFiles(source, target, sourceMaps);
    } else if (entry.isFile()) {
      if (!sourceMaps && isSourceMap(entry.name)) continue;
      if (!sourceMaps && /\.(js|css)$/i.test(entry.name)) await fs.writeFile(target, withoutSourceMapLink(await fs.readFile(source, 'utf8')));
      else await fs.copyFile(source, target);
    }
    // Anything else (a symbolic link) is left out: it could point anywhere on the build machine.
  }
}

/** Folders 0755, files 0644; returns the files, relative and sorted. */
async function publishModes(root: string, prefix = ''): Promise<string[]> {
  await fs.chmod(path.join(root, prefix), 0o755);
  const files: string[] = [];
  for (const entry of await fs.readdir(path.join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await publishModes(root, rel)));
    else {
      await fs.chmod(path.join(root, rel), 0o644);
      files.push(rel);
    }
  }
  return files.sort();
}

/** Puts the finished site at `dir`; an earlier site is moved aside first and restored if that fails. */
async function swapInto(tmp: string, dir: string, state: OutState): Promise<void> {
  if (state === 'missing') return fs.rename(tmp, dir);
  if (state === 'empty') {
    await fs.rmdir(dir);
    return fs.rename(tmp, dir);
  }
  const old = path.join(path.dirname(dir), `.${path.basename(dir)}.gitfleet-old-${randomBytes(4).toString('hex')}`);
  await fs.rename(dir, old);
  try {
    await fs.rename(tmp, dir);
  } catch (error) {
    await fs.rename(old, dir);
    throw error;
  }
  await fs.rm(old, { recursive: true, force: true });
}
