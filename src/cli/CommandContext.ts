import { openFleet, type Fleet } from '../config/openFleet.js';
import type { ConfigFlags, ResolvedConfig } from '../config/resolveConfig.js';
import { createLogger, type Logger } from '../util/logger.js';
import type { CliIo } from './CliIo.js';
import { formatTime } from './formatTime.js';
import { resolveCliConfig } from './resolveCliConfig.js';
import { selectFields } from './selectFields.js';
import { terminalIo } from './terminalText.js';

/** The global flags every command accepts. */
export interface GlobalArgs extends ConfigFlags {
  json?: boolean;
  /** Times as ISO 8601 UTC instead of relative ages. */
  iso?: boolean;
}

/**
 * What a command handler gets: its output streams and the configuration, resolved
 * once on first use from defaults, the config file, GITFLEET_* and the flags.
 */
export class CommandContext {
  #config: ResolvedConfig | undefined;
  #logger: Logger | undefined;
  #fleets: Fleet[] = [];

  /** Where results and diagnostics go; every write is sanitised (terminalText). */
  readonly io: CliIo;
  /**
   * The same streams unsanitised, for the control sequences a command writes itself
   * (colours, clearing the screen) around text that went through terminalText.
   */
  readonly terminal: CliIo;

  constructor(
    io: CliIo,
    readonly args: GlobalArgs,
    readonly env: NodeJS.ProcessEnv = process.env,
    /** The fields of `--json=a,b`, or undefined for whole objects. */
    readonly jsonFields: readonly string[] | undefined = undefined,
  ) {
    this.terminal = io;
    this.io = terminalIo(io);
  }

  get config(): ResolvedConfig {
    this.#config ??= resolveCliConfig(this.args, this.env);
    return this.#config;
  }

  get json(): boolean {
    return this.args.json ?? false;
  }

  /** A time in text: "5m ago", or ISO 8601 UTC with --iso (formatTime). */
  time(time: string | number | null | undefined): string {
    return formatTime(time, this.args.iso ?? false);
  }

  get logger(): Logger {
    this.#logger ??= createLogger({ level: this.config.log.level, format: this.config.log.format, write: (l) => this.io.err(l) });
    return this.#logger;
  }

  /** The actor commits of this command are made as: the server id, or op:<operator>. */
  operatorActor(): string {
    return `op:${this.config.operator}`;
  }

  openFleet(actor = this.operatorActor(), options: { recordCacheBytes?: number } = {}): Fleet {
    const fleet = openFleet(this.config, { actor, logger: this.logger, ...options });
    this.#fleets.push(fleet);
    return fleet;
  }

  /** Closes this store with the fleets when the command ends (a relay link, say). */
  closeWithFleets(store: { close(): Promise<void> }): void {
    this.#fleets.push({ close: () => store.close() } as Fleet);
  }

  /**
   * Every command's --json output goes through here, so `--json=a,b` works everywhere.
   * `known`: the fields the command documents (docs/json.md), optional ones included.
   * `compact`: one line (a --watch stream).
   */
  printJson(value: unknown, options: { known?: readonly string[]; compact?: boolean } = {}): void {
    const shown = this.jsonFields ? selectFields(value, this.jsonFields, options.known) : value;
    this.io.out(JSON.stringify(shown, null, options.compact ? 0 : 2));
  }

  async close(): Promise<void> {
    await Promise.all(this.#fleets.map((f) => f.close()));
  }
}
