import { ConfigError } from '../errors/index.js';
import type { AdvertisedKindParams, Job, LocalConfig } from '../schema/types.js';
import { redact } from '../util/redact.js';

export type KindConfig = NonNullable<NonNullable<LocalConfig['jobs']>['kinds']>[string];

/** A job turned into a command this server is willing to run. */
export interface JobCommand {
  argv: string[];
  cwd: string | undefined;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

interface ParamRule {
  source: string;
  regex: RegExp;
  /** Values that start with "-" are refused unless the local config allows them. */
  allowOptionLike: boolean;
}

/** Bounds of what a status record advertises (shared/status.schema.json jobs.kindParams). */
export const ADVERTISE_LIMITS = { kinds: 16, params: 16, patternLength: 200 } as const;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]{0,63})\}/g;
// Control characters have no place in an argument and NUL cannot be passed at all.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The job kinds of this server, from its local config only: the repository can name a
 * kind and parameters, never a command. Patterns are compiled (and checked) once, when
 * the agent starts, and always match the whole value.
 */
export class JobKinds {
  readonly #kinds = new Map<string, { config: KindConfig; params: Map<string, ParamRule> }>();

  constructor(kinds: Record<string, KindConfig> = {}) {
    for (const [name, config] of Object.entries(kinds)) {
      if (/\{/.test(config.argv[0] ?? '')) {
        throw new ConfigError(`job kind ${name}: the program (argv[0]) cannot come from a parameter`, {
          hint: 'name the program literally in jobs.kinds.<kind>.argv[0]',
        });
      }
      const patterns = new Map<string, ParamRule>();
      for (const [param, spec] of Object.entries(config.params ?? {})) {
        const source = typeof spec === 'string' ? spec : spec.pattern;
        try {
          patterns.set(param, {
            source,
            regex: new RegExp(`^(?:${source})$`, 'u'),
            allowOptionLike: typeof spec === 'object' && spec.allowOptionLike === true,
          });
        } catch (error) {
          throw new ConfigError(`job kind ${name}: the pattern of parameter ${param} is not a valid regular expression (${(error as Error).message})`, {
            hint: 'fix jobs.kinds in gitfleet.config.json',
          });
        }
      }
      for (const arg of config.argv) {
        for (const m of arg.matchAll(PLACEHOLDER)) {
          if (!patterns.has(m[1]!))
            throw new ConfigError(`job kind ${name}: argv uses {${m[1]}} but params has no pattern for it`, {
              hint: `add "${m[1]}": "<regex>" to jobs.kinds.${name}.params`,
            });
        }
      }
      this.#kinds.set(name, { config, params: patterns });
    }
  }

  get names(): string[] {
    return [...this.#kinds.keys()].sort();
  }

  /**
   * The parameters of each kind, for the status record: a kind is described completely
   * or not at all (too many parameters, too long a pattern, a name a job cannot carry, a
   * pattern that redaction would alter), since `job submit` trusts a description to be whole.
   * At most ADVERTISE_LIMITS.kinds kinds, in name order.
   */
  advertised(): Record<string, AdvertisedKindParams> {
    const out: Record<string, AdvertisedKindParams> = {};
    for (const name of this.names) {
      if (Object.keys(out).length >= ADVERTISE_LIMITS.kinds) break;
      const kind = this.#kinds.get(name)!;
      const used = new Set(kind.config.argv.flatMap((arg) => [...arg.matchAll(PLACEHOLDER)].map((m) => m[1]!)));
      if (kind.params.size > ADVERTISE_LIMITS.params) continue;
      const params: AdvertisedKindParams = {};
      let whole = true;
      for (const [param, rule] of kind.params) {
        const publishable =
          PARAM_NAME.test(param) && rule.source.length <= ADVERTISE_LIMITS.patternLength && !CONTROL.test(rule.source) && redact(rule.source) === rule.source;
        if (!publishable) {
          whole = false;
          break;
        }
        params[param] = { pattern: rule.source, required: used.has(param), ...(rule.allowOptionLike ? { optionLike: true } : {}) };
      }
      if (whole) out[name] = params;
    }
    return out;
  }

  /** The command for a job, or why this server refuses it. */
  resolve(job: Job, defaults: { timeoutSeconds: number; env?: NodeJS.ProcessEnv }): JobCommand | { refused: string } {
    const kind = this.#kinds.get(job.kind);
    if (!kind) return { refused: `this server does not run kind ${job.kind}` };
    for (const [param, value] of Object.entries(job.params)) {
      const rule = kind.params.get(param);
      if (!rule) return { refused: `kind ${job.kind} takes no parameter ${param}` };
      if (CONTROL.test(value)) return { refused: `parameter ${param} contains control characters` };
      // A permissive pattern such as [a-z0-9-]{1,40} also matches "-rf" or "--output=x":
      // such a value would reach the program as an option, so it must be asked for.
      if (value.startsWith('-') && !rule.allowOptionLike)
        return {
          refused: `parameter ${param} starts with "-" and could be taken as an option; set allowOptionLike on the parameter in jobs.kinds.${job.kind}.params to accept such values`,
        };
      if (!rule.regex.test(value)) return { refused: `parameter ${param} does not match its pattern ${rule.source}` };
    }
    const argv: string[] = [];
    for (const arg of kind.config.argv) {
      let missing: string | undefined;
      argv.push(
        arg.replace(PLACEHOLDER, (_, name: string) => {
          const value = job.params[name];
          if (value === undefined) missing ??= name;
          return value ?? '';
        }),
      );
      if (missing) return { refused: `parameter ${missing} is required by kind ${job.kind}` };
    }
    const source = defaults.env ?? process.env;
    // Nothing of the agent's environment passes unless listed (its token least of all);
    // PATH so that the program can be found.
    const env: NodeJS.ProcessEnv = { PATH: source.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
    for (const name of kind.config.env ?? []) if (source[name] !== undefined) env[name] = source[name];
    env.GITFLEET_JOB_ID = job.id;
    env.GITFLEET_JOB_ATTEMPT = String(job.assignment?.attempt ?? job.attempts);
    const wanted = job.timeoutSeconds ?? kind.config.timeoutSeconds ?? defaults.timeoutSeconds;
    const timeoutSeconds = Math.min(wanted, kind.config.timeoutSeconds ?? Infinity);
    return { argv, cwd: kind.config.cwd, env, timeoutMs: timeoutSeconds * 1000 };
  }
}
