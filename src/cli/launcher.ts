import { VERSION } from '../version.js';
import { prebuiltHelp } from './prebuiltHelp.js';

/**
 * The `gitfleet` program as installed (package.json "bin", built to dist/gitfleet.cjs):
 * answers `--version` and `--help` itself and hands every other run to the CLI, an ES
 * module (dist/gitfleet.js, src/cli/main.ts). It is CommonJS because Node starts an ES
 * module entry ~7 ms slower than a CommonJS one (its ES module loader comes up first):
 * a quarter of what `--version` costs (docs/benchmarks.md, bench:cli).
 */
const args = process.argv.slice(2);
// The build turns import.meta.url into this file's URL (scripts/build.mjs); help/ is beside it.
const help = args.length === 1 && args[0] === '--version' ? null : prebuiltHelp(args, process.env, process.stdout.columns, import.meta.url);
if (args.length === 1 && args[0] === '--version') {
  process.stdout.write(`${VERSION}\n`);
} else if (help !== null) {
  process.stdout.write(help);
} else {
  import('./main.js').catch((error: unknown) => {
    process.stderr.write(
      `gitfleet: cannot load the CLI beside ${import.meta.url} (${String((error as Error)?.message ?? error).split('\n')[0]}); reinstall gitfleet\n`,
    );
    process.exitCode = 1;
  });
}
