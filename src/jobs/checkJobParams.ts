import vm from 'node:vm';
import type { AdvertisedKindParams, Job, ServerStatus } from '../schema/types.js';

/** Why one server would refuse a job's parameters: the agent's own wording (src/agent/JobKinds.ts). */
export interface ParamRefusal {
  server: string;
  param: string;
  problem: string;
  /** The parameter's pattern on that server, when it has one. */
  pattern?: string;
}

export type ParamCheck =
  /** Some server that runs the kind would take the job; `refusedBy` lists the ones that would not. */
  | { ok: true; refusedBy: ParamRefusal[] }
  /** Every server that runs the kind describes its parameters and would refuse the job. */
  | { ok: false; refusedBy: ParamRefusal[]; example: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
/** A pattern comes from the repository: one that backtracks for ever must not hang the operator's shell. */
const MATCH_TIMEOUT_MS = 200;

/**
 * Checks a job's parameters against what the servers that run its kind advertise, by
 * the rules the agent applies when it resolves the job. A server that does not describe
 * the kind (an older agent, or a kind past the status record's bounds) could take
 * anything, so it counts as accepting: the check only refuses what every server that
 * runs the kind would refuse. A pattern that cannot be compiled or evaluated in time
 * here is treated as matching, for the same reason.
 */
export function checkJobParams(job: Pick<Job, 'kind' | 'params'>, statuses: ServerStatus[]): ParamCheck {
  const runners = statuses.filter((s) => s.jobs?.kinds?.includes(job.kind));
  const refusedBy: ParamRefusal[] = [];
  let accepted = runners.length === 0;
  for (const status of runners) {
    const spec = status.jobs?.kindParams?.[job.kind];
    const refusal = spec ? refusal_(job, spec) : undefined;
    if (refusal) refusedBy.push({ server: status.server, ...refusal });
    else accepted = true;
  }
  if (accepted) return { ok: true, refusedBy };
  const spec = runners.map((s) => s.jobs!.kindParams![job.kind]!)[0]!;
  return { ok: false, refusedBy, example: exampleInvocation(job.kind, spec, job.params) };
}

function refusal_(job: Pick<Job, 'kind' | 'params'>, spec: AdvertisedKindParams): Omit<ParamRefusal, 'server'> | undefined {
  for (const [param, value] of Object.entries(job.params)) {
    const rule = Object.hasOwn(spec, param) ? spec[param]! : undefined;
    if (!rule) return { param, problem: `kind ${job.kind} takes no parameter ${param}` };
    if (CONTROL.test(value)) return { param, problem: `parameter ${param} contains control characters`, pattern: rule.pattern };
    if (value.startsWith('-') && !rule.optionLike)
      return { param, problem: `parameter ${param} starts with "-" and could be taken as an option`, pattern: rule.pattern };
    if (matches(rule.pattern, value) === false)
      return { param, problem: `parameter ${param} does not match its pattern ${rule.pattern}`, pattern: rule.pattern };
  }
  for (const [param, rule] of Object.entries(spec)) {
    if (rule.required && !Object.hasOwn(job.params, param))
      return { param, problem: `parameter ${param} is required by kind ${job.kind}`, pattern: rule.pattern };
  }
  return undefined;
}

/** Whether the whole value matches; undefined when the pattern cannot be told here. */
export function matches(pattern: string, value: string): boolean | undefined {
  const key = `${pattern}\u0000${value}`;
  // Servers mostly share their patterns: each (pattern, value) is evaluated once.
  if (memo.has(key)) return memo.get(key);
  if (memo.size >= 1000) memo.clear();
  const result = evaluate(pattern, value);
  memo.set(key, result);
  return result;
}

const memo = new Map<string, boolean | undefined>();
const TEST = new vm.Script('regex.test(value)');
let context: vm.Context | undefined;

function evaluate(pattern: string, value: string): boolean | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined; // The agent would not have started with it; nothing to judge by.
  }
  context ??= vm.createContext({});
  context.regex = regex;
  context.value = value;
  try {
    return TEST.runInContext(context, { timeout: MATCH_TIMEOUT_MS }) === true;
  } catch {
    return undefined; // Timed out: a catastrophic pattern, left to the agent.
  }
}

/**
 * `gitfleet job submit <kind> -p name=value ...` with a valid value for each required
 * parameter: the operator's own where it is valid, else one found for the pattern.
 */
export function exampleInvocation(kind: string, spec: AdvertisedKindParams, given: Record<string, string> = {}): string {
  const parts = [`gitfleet job submit ${kind}`];
  for (const [param, rule] of Object.entries(spec)) {
    const own =
      Object.hasOwn(given, param) && SHELL_SAFE.test(given[param]!) && !given[param]!.startsWith('-') && matches(rule.pattern, given[param]!) === true
        ? given[param]
        : undefined;
    if (!rule.required && own === undefined) continue;
    parts.push(`-p ${param}=${own ?? exampleValue(rule.pattern) ?? `<${rule.pattern}>`}`);
  }
  return parts.join(' ');
}

/** Values printed in an example line as they are, without quoting. */
const SHELL_SAFE = /^[A-Za-z0-9._:/@+,=-]{1,64}$/;
const CANDIDATES = [
  'main',
  'release',
  'web',
  'example',
  'a',
  'x',
  '1',
  '5',
  '10',
  '0',
  'v1',
  '1.0.0',
  'v1.0.0',
  'web-01',
  'A',
  'X1',
  '2026-01-01',
  'true',
  'yes',
];

/** A value the pattern accepts that is safe to print in a shell line, or undefined. */
export function exampleValue(pattern: string): string | undefined {
  const literal = /^\(?(?:\?:)?([A-Za-z0-9._-]+(?:\|[A-Za-z0-9._-]+)*)\)?$/.exec(pattern);
  const tries = [...(literal ? literal[1]!.split('|') : []), ...CANDIDATES, ...fromClasses(pattern)];
  return tries.find((v) => SHELL_SAFE.test(v) && !v.startsWith('-') && matches(pattern, v) === true);
}

/** For patterns made of pieces such as [class]{n,m}, \d+ or a literal: the first character of each, repeated its minimum (at least once). */
function fromClasses(pattern: string): string[] {
  let out = '';
  const piece = /(?:\[([^\]]+)\]|\\d|\\([.\-/_])|([A-Za-z0-9_-]))(?:\{(\d+)(?:,\d*)?\}|[+*?])?/gy;
  let m: RegExpExecArray | null;
  while ((m = piece.exec(pattern))) {
    const char = m[1] !== undefined ? (m[1].startsWith('^') ? 'a' : m[1][0]!) : (m[2] ?? m[3] ?? '1');
    out += char.repeat(Math.max(1, Number(m[4] ?? 1)));
    if (piece.lastIndex >= pattern.length) return [out];
  }
  return [];
}
