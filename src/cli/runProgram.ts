import { exitOnClosedPipe } from './exitOnClosedPipe.js';
import { startStatusFetch, stopStatusFetch } from './startStatusFetch.js';

/**
 * One run of the gitfleet program on `args`, after the launcher (src/cli/launcher.ts) or
 * main.ts answered what needs nothing loaded (--version, prebuilt --help): resolves to the
 * exit code. `status` starts its fetch first, so git talks to the remote on the other core
 * while the command loads, unless the launcher has started it already (`fetchStarted`).
 */
export async function runProgram(args: readonly string[], env: NodeJS.ProcessEnv = process.env, options: { fetchStarted?: boolean } = {}): Promise<number> {
  // Not awaited: loading the command below is asynchronous, so git gets spawned meanwhile.
  if (args[0] === 'status' && !options.fetchStarted) void startStatusFetch(args, env);
  exitOnClosedPipe();
  const { runCli } = await import('./runCli.js');
  try {
    return await runCli(args, undefined, env);
  } finally {
    await stopStatusFetch();
  }
}
