import type { PlainOption } from './globalOptions.js';

/**
 * The argv yargs would hand a command's handler for `args`, for the plain invocations
 * most runs are (`gitfleet status --repo X --json`), without loading yargs: importing and
 * setting it up is ~25 ms of a start-up that is otherwise ~50 ms (docs/benchmarks.md).
 * Returns null, and the caller goes through yargs, for anything outside that subset: an
 * unknown, repeated, negated, aliased or camelCase option, a value that starts with "-"
 * or is empty, a choice not in its list, a positional, `--`, `--help`, `--version`.
 * So it never accepts what yargs would refuse, and never reads anything differently
 * (src/cli/quickArgs.test.ts compares both on a corpus).
 */
export function quickArgs(args: readonly string[], command: string, options: Readonly<Record<string, PlainOption>>): Record<string, unknown> | null {
  if (args[0] !== command) return null;
  const argv: Record<string, unknown> = { _: [command], $0: 'gitfleet' };
  const seen = new Set<string>();
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?:=([\s\S]*))?$/.exec(arg);
    if (!match) return null;
    const name = match[1]!;
    const spec = Object.hasOwn(options, name) ? options[name]! : undefined;
    if (!spec || seen.has(name)) return null;
    seen.add(name);
    let value: string | boolean;
    if (spec.type === 'boolean') {
      // `--json=false` and `--json false` are yargs' to read.
      if (match[2] !== undefined || (args[i + 1] !== undefined && !args[i + 1]!.startsWith('-'))) return null;
      value = true;
    } else {
      const text = match[2] ?? args[++i];
      if (text === undefined || text === '' || text.startsWith('-')) return null;
      if (spec.choices && !spec.choices.includes(text)) return null;
      value = text;
    }
    set(argv, name, value);
  }
  for (const [name, spec] of Object.entries(options)) if (!seen.has(name) && spec.default !== undefined) set(argv, name, spec.default);
  return argv;
}

// yargs gives an option under its name and, for a dashed name, its camelCase alias too.
function set(argv: Record<string, unknown>, name: string, value: unknown): void {
  argv[name] = value;
  if (name.includes('-')) argv[name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())] = value;
}
