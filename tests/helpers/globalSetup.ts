import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Builds dist/ once: tests that start real processes run the bundle users run. And gives
 * the run one folder for the launcher's V8 code cache (runGitfleet.ts passes it on), so the
 * suite's thousands of CLI runs share it instead of writing to the user's ~/.cache.
 */
export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
  const codeCache = mkdtempSync(path.join(os.tmpdir(), 'gitfleet-test-code-cache-'));
  process.env.GITFLEET_TEST_CODE_CACHE = path.join(codeCache, 'code');
  return () => rmSync(codeCache, { recursive: true, force: true });
}
