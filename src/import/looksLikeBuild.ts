import { serverFileOf, SHARED_FILES } from './BuildTree.js';

/**
 * Whether a tree is laid out as a Build fleet (coordination/jobs.json, or <server>/status.json
 * folders) and holds no gitfleet records: then `validate` and `status` say to import it
 * instead of showing an empty fleet. `paths`: every file of the tree.
 */
export function looksLikeBuild(paths: Iterable<string>): boolean {
  let build = false;
  for (const p of paths) {
    if (p === 'fleet.json' || /^(status|jobs)\/[^/]+\.json$/.test(p) || /^messages\/[^/]+\.json$/.test(p)) return false;
    if (p === SHARED_FILES.jobs || p === SHARED_FILES.messages || serverFileOf(p)?.file === 'status') build = true;
  }
  return build;
}

export const BUILD_HINT = 'this looks like a Build repository: run gitfleet import build';
