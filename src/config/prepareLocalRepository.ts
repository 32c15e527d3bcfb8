import { existsSync } from 'node:fs';
import { ConfigError } from '../errors/index.js';
import type { RemoteSpec } from '../git/RemoteSpec.js';
import { createBareRepo } from '../git/server/createBareRepo.js';

/**
 * `gitfleet init --create`: makes a bare repository when --repo is a local path where
 * there is none yet. Returns whether it made one. Here, in the composition root, because
 * making a repository is a git matter and `initFleet` only writes records through the store.
 */
export async function prepareLocalRepository(remote: RemoteSpec, branch: string, create: boolean): Promise<boolean> {
  if (remote.protocol !== 'file' || remote.url.startsWith('file://') || existsSync(remote.url)) return false;
  if (!create) throw new ConfigError(`no repository at ${remote.url}`, { hint: 'pass --create to make a bare fleet repository there' });
  await createBareRepo(remote.url, branch);
  return true;
}
