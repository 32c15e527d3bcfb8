import { execFileSync } from 'node:child_process';

/** Builds dist/ once: tests that start real processes run the bundle users run. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
}
