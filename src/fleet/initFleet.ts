import { UsageError } from '../errors/index.js';
import type { FleetSettings } from '../schema/types.js';
import { workflowFiles } from '../site/pagesWorkflows.js';
import type { Store, TransactResult } from '../store/Store.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';

export interface InitOptions {
  /** The fleet branch (the workflows name it). */
  branch: string;
  name?: string;
  settings?: Partial<FleetSettings>;
  /**
   * Also write the GitHub Pages and validation workflows (the variant that installs the
   * release tarball at this https URL, only if its sha512 integrity matches).
   */
  workflows?: { tarball: string; integrity: string };
}

/** Prepares a fleet repository (idempotent): fleet.json, the record folders' READMEs and, if asked, the workflows. */
export async function initFleet(store: Store, options: InitOptions): Promise<TransactResult> {
  const settings: Partial<FleetSettings> = { ...options.settings, ...(options.name ? { name: options.name } : {}) };
  let workflows: Record<string, string> = {};
  if (options.workflows) {
    try {
      workflows = workflowFiles({
        variant: 'package',
        branch: options.branch,
        tarball: { url: options.workflows.tarball, integrity: options.workflows.integrity },
      });
    } catch (error) {
      throw new UsageError(`--workflows: ${(error as Error).message}`, {
        hint: 'pass --workflow-tarball <https URL of gitfleet-<version>.tgz> and --workflow-integrity <the sha512-... that npm pack printed for it>',
      });
    }
  }
  return store.transact('init fleet repository', initFleetPlan(settings, workflows), { createBranch: true });
}
