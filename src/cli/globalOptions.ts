/**
 * One option as yargs is told it, in the subset quickArgs (src/cli/quickArgs.ts) also
 * understands: a string or a boolean, maybe a default, maybe a closed list of choices.
 */
export interface PlainOption {
  /** Absent with `choices`: a string, shown by its choices alone in the help. */
  type?: 'string' | 'boolean';
  describe: string;
  default?: string | boolean;
  choices?: readonly string[];
}

/** The options every command takes (runCli declares them global; "Global options:" in each help). */
export const GLOBAL_OPTION_SPECS = {
  repo: { type: 'string', describe: 'Fleet repository: https or ssh URL, or a local path (GITFLEET_REPO)' },
  branch: { type: 'string', describe: 'Branch of the fleet repository (default main)' },
  server: { type: 'string', describe: "This server's id, a DNS label (GITFLEET_SERVER)" },
  backend: { choices: ['cli', 'js'], describe: 'git backend: the git CLI, or isomorphic-git for http(s) remotes' },
  json: { type: 'boolean', describe: 'Machine-readable output (docs/json.md); --json=a,b prints only these fields' },
  iso: { type: 'boolean', describe: 'Times as ISO 8601 UTC instead of relative ages ("5m ago")' },
  config: { type: 'string', describe: 'Config file (default ./gitfleet.config.json)' },
  'cache-dir': { type: 'string', describe: 'Folder for the local git caches' },
  'data-dir': { type: 'string', describe: 'Folder for the outbox and agent state' },
  'log-level': { choices: ['debug', 'info', 'warn', 'error'], describe: 'Diagnostics on stderr' },
} as const satisfies Record<string, PlainOption>;

/** Their names, in the order the help lists them. */
export const GLOBAL_OPTIONS = Object.keys(GLOBAL_OPTION_SPECS);
