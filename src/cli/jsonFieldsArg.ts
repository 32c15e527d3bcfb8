import { UsageError } from '../errors/index.js';

/** A field name as records spell them (camelCase, digits, "_"). */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Takes `--json=a,b` out of the arguments: yargs gets a plain `--json`, and the fields
 * come back separately. Only the `=` form selects fields, so `gitfleet job show --json abc`
 * still shows job abc (docs/decisions.md: why not gh's `--json a,b`). Arguments after
 * `--` are left alone.
 */
export function splitJsonFields(args: readonly string[]): { args: string[]; fields: string[] | undefined } {
  let fields: string[] | undefined;
  const out: string[] = [];
  let rest = false;
  for (const arg of args) {
    if (rest || !arg.startsWith('--json=')) {
      if (arg === '--') rest = true;
      out.push(arg);
      continue;
    }
    const value = arg.slice('--json='.length);
    if (value === 'true' || value === 'false') {
      out.push(value === 'true' ? '--json' : '--no-json');
      continue;
    }
    const names = value
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    const bad = names.find((f) => !FIELD.test(f));
    if (names.length === 0 || bad !== undefined) {
      throw new UsageError(
        names.length === 0 ? '--json= needs field names, e.g. --json=id,state' : `--json=: ${JSON.stringify(bad!.slice(0, 40))} is not a field name`,
        { hint: 'see docs/json.md for the fields of each command' },
      );
    }
    fields = [...new Set(names)];
    out.push('--json');
  }
  return { args: out, fields };
}
