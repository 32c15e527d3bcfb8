/** Where the CLI backend's cache keeps what the remote branch holds. */
export const REMOTE_REF = 'refs/gitfleet/remote';

/** The argv of the CLI backend's fetch of `branch` (`--depth=1` the first time: see CliBackend.fetch). */
export function fetchArgs(url: string, branch: string, shallowFirst: boolean): string[] {
  // Verbose: what git says on stderr is what a failure is classified by (classifyGitFailure).
  const args = ['fetch', '--no-tags', '--no-auto-gc', '--verbose'];
  if (shallowFirst) args.push('--depth=1');
  args.push(url, `+refs/heads/${branch}:${REMOTE_REF}`);
  return args;
}
