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
        // CommandContext reaches the config and store layers: loaded only when a command runs.
        const { CommandContext } = await import('./CommandContext.js');
        const ctx = new CommandContext(rawIo, argv as GlobalArgs, env, jsonFields);
        try {
          exitCode = (await cmd.run(ctx, argv)) ?? 0;
        } finally {
          await ctx.close();
        }
      },
    };
  };

  let parser = yargs([...args])
    .scriptName('gitfleet')
    .usage('$0 <command> [options]\n\nGit-backed status, messaging and jobs for fleets of servers.')
    .option('repo', { type: 'string', describe: 'Fleet repository: https or ssh URL, or a local path (GITFLEET_REPO)', global: true })
    .option('branch', { type: 'string', describe: 'Branch of the fleet repository (default main)', global: true })
    .option('server', { type: 'string', describe: "This server's id, a DNS label (GITFLEET_SERVER)", global: true })
    .option('backend', { choices: ['cli', 'js'], describe: 'git backend: the git CLI, or isomorphic-git for http(s) remotes', global: true })
    .option('json', { type: 'boolean', describe: 'Machine-readable output (docs/json.md); --json=a,b prints only these fields', global: true })
    .option('iso', { type: 'boolean', describe: 'Times as ISO 8601 UTC instead of relative ages ("5m ago")', global: true })
    .option('config', { type: 'string', describe: 'Config file (default ./gitfleet.config.json)', global: true })
    .option('cache-dir', { type: 'string', describe: 'Folder for the local git caches', global: true })
    .option('data-dir', { type: 'string', describe: 'Folder for the outbox and agent state', global: true })
    .option('log-level', { choices: ['debug', 'info', 'warn', 'error'], describe: 'Diagnostics on stderr', global: true })
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

/** The options every command takes, shown under "Global options:" in each help. */
const GLOBAL_OPTIONS = ['repo', 'branch', 'server', 'backend', 'json', 'iso', 'config', 'cache-dir', 'data-dir', 'log-level'];

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
