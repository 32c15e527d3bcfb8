import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES, EXIT_INTERNAL, GitfleetError } from '../errors/index.js';
import { exitCodeHelp } from '../errors/exitCodes.js';
import { redact } from '../util/redact.js';
import { VERSION } from '../version.js';
import { type CliIo, processIo } from './CliIo.js';
import type { GlobalArgs } from './CommandContext.js';
import { splitJsonFields } from './jsonFieldsArg.js';
import { terminalIo } from './terminalText.js';
import { usageMessage } from './usageMessage.js';
import { type CommandEntry, commandName, commands } from './commands/index.js';
import type { GitfleetCommand } from './GitfleetCommand.js';
import { helpWidth } from './prebuiltHelp.js';
import { GLOBAL_OPTION_SPECS, GLOBAL_OPTIONS } from './globalOptions.js';
import { quickArgs } from './quickArgs.js';

/**
 * Runs the gitfleet CLI on `args` and resolves to the exit code. Never throws and
 * never calls process.exit: errors become one line on stderr (or a JSON object on
 * stdout with --json) and an exit code that says what kind of failure it was.
 *
 * Start-up is what a cron agent pays every minute, so a run loads only what it needs:
 * `--version` alone answers without yargs, and only the command named in `args` is
 * imported in full; the others are registered as stubs (name, positionals, description)
 * so `--help`, "did you mean" and strict unknown-command errors work as before.
 */
export async function runCli(args: readonly string[], rawIo: CliIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Errors quote repository values (ids, paths, reasons): sanitised like all output.
  const io = terminalIo(rawIo);
  const wantsJson = args.some((a) => a === '--json' || a.startsWith('--json='));
  if (args.length === 1 && args[0] === '--version') {
    io.out(VERSION);
    return 0;
  }
  try {
    // `--json=a,b` selects fields; yargs sees a plain `--json` (see jsonFieldsArg.ts).
    const { args: parsedArgs, fields } = splitJsonFields(args);
    return await parse(parsedArgs, rawIo, env, fields);
  } catch (error) {
    return reportError(error, io, wantsJson, env);
  }
}

async function parse(args: readonly string[], rawIo: CliIo, env: NodeJS.ProcessEnv, jsonFields: readonly string[] | undefined): Promise<number> {
  let exitCode = 0;
  // A plain invocation of a command whose options are all plain runs without yargs (quickArgs.ts).
  const entry = commands.find((c) => commandName(c) === args[0]);
  const plain = entry && (await entry.load());
  if (entry && plain?.plainOptions && !plain.subcommands?.length) {
    const argv = quickArgs(args, commandName(entry), { ...GLOBAL_OPTION_SPECS, ...plain.plainOptions });
    if (argv) return runCommand(plain, argv, rawIo, env, jsonFields);
  }
  const { default: yargs } = await import('yargs');
  // Commands with subcommands ("msg", "agent"): a word after them names a subcommand.
  const groups = new Set<string>();
  const toModule = (cmd: GitfleetCommand<any>, parent = ''): CommandModule => {
    const path = `${parent}${commandName({ command: Array.isArray(cmd.command) ? cmd.command[0]! : cmd.command })}`;
    if (cmd.subcommands?.length) groups.add(path);
    return {
      command: cmd.command,
      describe: cmd.describe,
      builder: (y: Argv) => {
        let built = cmd.builder ? cmd.builder(y) : y;
        for (const sub of cmd.subcommands ?? []) built = built.command(toModule(sub, `${path} `));
        return ownOptionsFirst(built);
      },
      handler: async (argv) => {
        exitCode = await runCommand(cmd, argv, rawIo, env, jsonFields);
      },
    };
  };

  let parser = yargs([...args])
    .scriptName('gitfleet')
    .usage('$0 <command> [options]\n\nGit-backed status, messaging and jobs for fleets of servers.');
  for (const [name, spec] of Object.entries(GLOBAL_OPTION_SPECS)) parser = parser.option(name, { ...spec, global: true });
  parser = parser
    // A command's help lists its own options first, then these under their own heading.
    .group([...GLOBAL_OPTIONS, 'help', 'version'], 'Global options:');
  // A command is selected by its name as a whole argument, so one not named in args cannot run.
  const named = new Set(args);
  const modules = await Promise.all(commands.map(async (entry) => (named.has(commandName(entry)) ? toModule(await entry.load()) : stub(entry))));
  for (const module of modules) parser = parser.command(module);
  parser = parser
    .demandCommand(1, 'name a command')
    .recommendCommands()
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw usageMessage(message ?? 'invalid arguments', args, groups);
    })
    .help()
    .alias('h', 'help')
    .version(VERSION)
    .wrap(helpWidth(process.env, process.stdout.columns))
    .epilogue(exitCodeHelp());

  skipHelpCache(parser);
  await parser.parseAsync();
  return exitCode;
}

/** Runs a command's handler on its parsed argv, as yargs would call it. */
async function runCommand(
  cmd: GitfleetCommand<any>,
  argv: Record<string, unknown>,
  rawIo: CliIo,
  env: NodeJS.ProcessEnv,
  jsonFields: readonly string[] | undefined,
): Promise<number> {
  // CommandContext reaches the config and store layers: loaded only when a command runs.
  const { CommandContext } = await import('./CommandContext.js');
  const ctx = new CommandContext(rawIo, argv as GlobalArgs, env, jsonFields);
  try {
    return (await cmd.run(ctx, argv)) ?? 0;
  } finally {
    await ctx.close();
  }
}

/**
 * yargs lists groups in the order they were declared, the global ones (declared first, on
 * the top parser) before a command's: naming the command's own options' group here puts
 * them first, above "Global options:".
 */
function ownOptionsFirst(y: Argv): Argv {
  // getGroups and getOptions are public on yargs' instance but missing from its types.
  const inner = y as unknown as { getGroups?: () => Record<string, string[]>; getOptions?: () => { key?: Record<string, unknown> } };
  if (typeof inner.getGroups !== 'function' || typeof inner.getOptions !== 'function') return y;
  const grouped = new Set(Object.values(inner.getGroups()).flat());
  const own = Object.keys(inner.getOptions().key ?? {}).filter(
    (k) => !grouped.has(k) && !GLOBAL_OPTIONS.includes(k) && k !== 'help' && k !== 'version' && k !== '$0' && k !== '_',
  );
  return own.length > 0 ? y.group(own, 'Options:') : y;
}

/**
 * yargs renders the whole help text when a command handler starts, only to keep it for a
 * later failure that prints help; our .fail() never prints help, so that rendering (string
 * widths, wrapping: about 50 ms of CPU) is wasted on every run. `--help` still renders it.
 * getInternalMethods is yargs' own API between its modules; if it changes, nothing breaks
 * here but the saving.
 */
function skipHelpCache(parser: Argv): void {
  const usage = (parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.()
    .getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

/** A command that is listed but not run: its options are unknown, so it must never run. */
function stub(entry: CommandEntry): CommandModule {
  return {
    command: entry.command,
    describe: entry.describe,
    handler: () => {
      throw new Error(`command ${commandName(entry)} was run without being loaded`);
    },
  };
}

function reportError(error: unknown, io: CliIo, json: boolean, env: NodeJS.ProcessEnv): number {
  if (error instanceof GitfleetError) {
    if (json) io.out(JSON.stringify({ error: { code: error.code, message: error.message, hint: error.hint ?? null } }));
    else io.err(`gitfleet: ${error.describe()}`);
    return EXIT_CODES[error.code];
  }
  const message = redact(error instanceof Error ? error.message : String(error)).split('\n')[0];
  if (json) io.out(JSON.stringify({ error: { code: 'E_INTERNAL', message, hint: null } }));
  else io.err(`gitfleet: unexpected error: ${message} (this is a bug; run with GITFLEET_DEBUG=1 for the stack)`);
  if (env.GITFLEET_DEBUG && error instanceof Error) io.err(redact(error.stack ?? ''));
  return EXIT_INTERNAL;
}
