import { existsSync } from 'node:fs';
import type { Fleet } from '../config/openFleet.js';
import { ConfigError, UsageError } from '../errors/index.js';
import type { FleetSettings } from '../schema/types.js';
import { createBareRepo } from '../git/server/createBareRepo.js';
import { workflowFiles } from '../site/pagesWorkflows.js';
import type { TransactResult } from '../store/Store.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';

export interface InitOptions {
  name?: string;
  /** Create a bare repository first when --repo is a local path that does not exist. */
  create?: boolean;
  settings?: Partial<FleetSettings>;
  /**
   * Also write the GitHub Pages and validation workflows (the variant that installs the
   * release tarball at this https URL, only if its sha512 integrity matches).
   */
  workflows?: { tarball: string; integrity: string };
}

export interface InitResult {
  created: boolean;
  result: TransactResult;
}

/** Prepares a fleet repository (idempotent): fleet.json, the record folders' READMEs and, if asked, the workflows. */
export async function initFleet(fleet: Fleet, options: InitOptions = {}): Promise<InitResult> {
  let created = false;
  if (fleet.remote.protocol === 'file' && !fleet.remote.url.startsWith('file://') && !existsSync(fleet.remote.url)) {
    if (!options.create) {
      throw new ConfigError(`no repository at ${fleet.remote.url}`, { hint: 'pass --create to make a bare fleet repository there' });
    }
    await createBareRepo(fleet.remote.url, fleet.config.branch);
    created = true;
  }
  const settings: Partial<FleetSettings> = { ...options.settings, ...(options.name ? { name: options.name } : {}) };
  let workflows: Record<string, string> = {};
  if (options.workflows) {
    try {
      workflows = workflowFiles({ variant: 'package', branch: fleet.config.branch, tarball: { url: options.workflows.tarball, integrity: options.workflows.integrity } });
    } catch (error) {
      throw new UsageError(`--workflows: ${(error as Error).message}`, { hint: 'pass --workflow-tarball <https URL of gitfleet-<version>.tgz> and --workflow-integrity <the sha512-... that npm pack printed for it>' });
    }
  }
  const result = await fleet.store.transact('init fleet repository', initFleetPlan(settings, workflows), { createBranch: true });
  return { created, result };
}
