import { readFileSync } from 'node:fs';

/** The widths the build renders `gitfleet --help` at: a pipe (100 columns) and a wide terminal (110). */
export const PREBUILT_HELP_WIDTHS = [100, 110] as const;

/**
 * `gitfleet --help` as yargs renders it, written by the build beside the CLI
 * (dist/help/<width>.txt beside `cliUrl`, the CLI's entry file; scripts/build.mjs): printing it costs what `--version` costs,
 * instead of loading yargs and laying out twenty commands (~60 ms). Null when there is
 * none for this width (a narrow terminal, the single-file build, running from source):
 * the caller then lets yargs render it. GITFLEET_HELP_COLUMNS (the build's and the
 * drift test's) always asks yargs.
 */
export function prebuiltHelp(args: readonly string[], env: NodeJS.ProcessEnv, columns: () => number | undefined, cliUrl: string): string | null {
  if (args.length !== 1 || (args[0] !== '--help' && args[0] !== '-h') || env.GITFLEET_HELP_COLUMNS) return null;
  // Asked only now: making process.stdout loads node's stream modules (~1 ms), which every
  // other command, `status` first, would pay before it starts its work.
  const width = helpWidth(env, columns());
  if (!(PREBUILT_HELP_WIDTHS as readonly number[]).includes(width)) return null;
  try {
    return readFileSync(new URL(`help/${width}.txt`, cliUrl), 'utf8');
  } catch {
    return null; // not built beside this file: yargs renders it
  }
}

/** The width help text is laid out at: the terminal's, at most 110; 100 when not a terminal. */
export function helpWidth(env: NodeJS.ProcessEnv, columns: number | undefined): number {
  return Math.min(110, Number(env.GITFLEET_HELP_COLUMNS) || columns || 100);
}
