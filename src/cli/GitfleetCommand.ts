import type { Argv } from 'yargs';
import type { CommandContext } from './CommandContext.js';
import type { PlainOption } from './globalOptions.js';

/**
 * One CLI command: yargs options, and a handler that turns flags into a call of a
 * plain async function and its result into output. Returns the exit code (0 if void).
 */
export interface GitfleetCommand<A = Record<string, unknown>> {
  command: string | string[];
  describe: string;
  builder?: (yargs: Argv) => Argv<A>;
  run: (ctx: CommandContext, argv: A) => Promise<number | void>;
  /** Sub-commands (for "gitfleet agent install" and the like). */
  subcommands?: GitfleetCommand<any>[];
  /**
   * Every option of the command, when all are plain (see quickArgs): a plain invocation
   * then runs without loading yargs. The builder must declare exactly these
   * (src/cli/quickArgs.test.ts checks the help and the parsed argv against yargs).
   */
  plainOptions?: Readonly<Record<string, PlainOption>>;
}

export function defineCommand<A>(command: GitfleetCommand<A>): GitfleetCommand<A> {
  return command;
}
