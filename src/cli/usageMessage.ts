import { UsageError } from '../errors/index.js';

/**
 * Turns yargs' own failure wording ("Missing required arguments: to, subject", "Invalid
 * values: Argument: health, ...") into gitfleet's one line: what is wrong, named as the
 * operator typed it (--flag), and the help of the command they ran.
 */
export function usageMessage(message: string, args: readonly string[], groups: ReadonlySet<string> = new Set()): UsageError {
  const help = `see ${commandPath(args)} --help`;
  const missing = /^Missing required arguments?: (.+)$/.exec(message);
  if (missing) return new UsageError(`missing ${flags(missing[1]!)}`, { hint: help });
  const notEnough = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(message);
  if (notEnough) {
    const lacking = Number(notEnough[2]) - Number(notEnough[1]);
    return new UsageError(`${commandPath(args)} needs ${lacking === 1 ? 'one more argument' : `${lacking} more arguments`}`, { hint: help });
  }
  const tooMany = /^Too many non-option arguments: got (\d+), maximum of (\d+)$/.exec(message);
  if (tooMany)
    return new UsageError(`${commandPath(args)} takes at most ${tooMany[2]} argument${tooMany[2] === '1' ? '' : 's'}, got ${tooMany[1]}`, { hint: help });
  const invalid = /^Invalid values:\s*Argument: ([\w-]+), Given: (.+?), Choices: (.+)$/s.exec(message.replace(/\n/g, ' '));
  if (invalid) return new UsageError(`--${invalid[1]} ${invalid[2]} is not one of ${invalid[3]!.replace(/"/g, '')}`, { hint: help });
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) {
    const names = unknown[1]!.split(', ');
    const options = names.filter((n) => args.some((a) => a === `--${n}` || a.startsWith(`--${n}=`) || a === `-${n}`));
    if (options.length === names.length)
      return new UsageError(`unknown option ${names.map((n) => (n.length === 1 ? `-${n}` : `--${n}`)).join(', ')}`, { hint: help });
    const before = args.slice(0, Math.max(0, args.indexOf(names[0]!)));
    // A word where a command is expected (first, or after a command that has subcommands)
    // is a command that does not exist, not a stray argument.
    if (before.length === 0 || (before.every((a) => !a.startsWith('-')) && groups.has(before.join(' ')))) {
      return new UsageError(`unknown command ${JSON.stringify(names[0])}`, { hint: `see ${commandPath(before)} --help` });
    }
    return new UsageError(`unexpected argument ${names.map((n) => JSON.stringify(n)).join(', ')}`, { hint: `see ${commandPath(before)} --help` });
  }
  const suggestion = /^Did you mean (.+)\?$/.exec(message);
  if (suggestion) {
    const typo = closest(args, suggestion[1]!);
    const before = args.slice(0, Math.max(0, args.indexOf(typo)));
    return new UsageError(`unknown command ${JSON.stringify(typo)}`, { hint: `did you mean ${suggestion[1]}? see ${commandPath(before)} --help` });
  }
  return new UsageError(message, { hint: help });
}

/** "to, subject" -> "--to, --subject". */
function flags(list: string): string {
  return list
    .split(', ')
    .map((n) => (n.length === 1 ? `-${n}` : `--${n}`))
    .join(', ');
}

/** `gitfleet msg read` from the words the operator typed before any option (at most two). */
function commandPath(args: readonly string[]): string {
  const words: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') || !/^[a-z][a-z-]*$/.test(a) || words.length === 2) break;
    words.push(a);
  }
  return ['gitfleet', ...words].join(' ');
}

/** The word the operator mistyped: the one nearest to yargs' suggestion (not the command before it). */
function closest(args: readonly string[], suggestion: string): string {
  const words = args.filter((a) => !a.startsWith('-'));
  let best = words[0] ?? '';
  let bestDistance = Infinity;
  for (const word of words) {
    const d = distance(word, suggestion);
    if (word !== suggestion && d < bestDistance) [best, bestDistance] = [word, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
