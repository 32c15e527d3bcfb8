import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../version.js';
import { codeCacheDir } from './codeCache/codeCacheDir.js';
import { type LoadedBundle, loadBundle } from './codeCache/loadBundle.js';
import { prebuiltHelp } from './prebuiltHelp.js';

/**
 * The `gitfleet` program as installed (package.json "bin", built to dist/gitfleet.cjs). It
 * answers `--version` and `--help` itself, and loads the CLI, one CommonJS bundle
 * (dist/cli.cjs, src/cli/cliBundle.ts), for everything else, with V8's compiled code kept
 * from the last run of the same command (src/cli/codeCache/loadBundle.ts). It is CommonJS
 * because Node starts an ES module entry ~7 ms slower (its ES module loader comes up first):
 * a quarter of what `--version` costs (docs/benchmarks.md, bench:cli).
 */
const args = process.argv.slice(2);
// The build turns import.meta.url into this file's URL (scripts/build.mjs); help/ is beside it.
const help = args.length === 1 && args[0] === '--version' ? null : prebuiltHelp(args, process.env, () => process.stdout.columns, import.meta.url);
if (args.length === 1 && args[0] === '--version') {
  process.stdout.write(`${VERSION}\n`);
} else if (help !== null) {
  process.stdout.write(help);
} else {
  void run(path.dirname(fileURLToPath(import.meta.url)));
}

async function run(dir: string): Promise<void> {
  const cacheDir = codeCacheDir(process.env);
  const command = args[0] ?? '';
  // `status` starts its fetch from a small bundle of its own, before the CLI's is loaded:
  // git then talks to the remote while node loads the rest (src/git/earlyFetch.ts). Only a
  // head start: without it (a bundle that does not load) the command fetches as usual.
  let early: LoadedBundle<typeof import('./startStatusFetch.js')> | undefined;
  if (command === 'status') {
    try {
      early = loadBundle(path.join(dir, 'statusFetch.cjs'), cacheDir, command);
      // Compiling the CLI blocks the event loop: git must be running before it starts.
      await early.exports.startStatusFetch(args, process.env);
    } catch {
      early = undefined;
    }
  }
  let cli: LoadedBundle<typeof import('./cliBundle.js')>;
  try {
    cli = loadBundle(path.join(dir, 'cli.cjs'), cacheDir, command);
  } catch (error) {
    process.stderr.write(
      `gitfleet: cannot load the CLI beside ${import.meta.url} (${String((error as Error)?.message ?? error).split('\n')[0]}); reinstall gitfleet\n`,
    );
    process.exitCode = 1;
    return;
  }
  const code = await cli.exports.runProgram(args, process.env, { fetchStarted: early !== undefined });
  process.exitCode = code;
  if (code === 0) {
    early?.saveCodeCache();
    cli.saveCodeCache();
  }
}
