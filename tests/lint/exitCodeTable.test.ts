import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeSection } from '../../scripts/readmeSection.js';
import { EXIT_CODES, EXIT_INTERNAL, EXIT_MEANINGS, exitCodeHelp, exitCodeMarkdown } from '../../src/errors/exitCodes.js';
import type { ErrorCode } from '../../src/errors/GitfleetError.js';
import { runGitfleet } from '../helpers/runGitfleet.js';

const README = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('the exit-code table, generated from EXIT_CODES', () => {
  it('is the one in README.md (run `npm run gen:exit-codes` after changing src/errors/exitCodes.ts)', () => {
    expect(readmeSection(README, 'exit-codes')).toBe(exitCodeMarkdown());
  });

  it('names every error code and gives every exit status a meaning', () => {
    const table = exitCodeMarkdown();
    for (const code of Object.keys(EXIT_CODES) as ErrorCode[]) expect(table).toMatch(new RegExp(`^\\| ${EXIT_CODES[code]} \\|.*\`${code}\``, 'm'));
    for (const status of [0, EXIT_INTERNAL, ...Object.values(EXIT_CODES)]) expect(EXIT_MEANINGS[status]).toBeDefined();
  });

  it('ends `gitfleet --help`', async () => {
    const run = await runGitfleet(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().endsWith(exitCodeHelp())).toBe(true);
    expect(exitCodeHelp()).toMatch(/^ {3}7 {2}conflict or locked \(E_CONFLICT, E_LOCKED\)$/m);
  });
});

describe('the prebuilt help (dist/help/<width>.txt) is what yargs renders', () => {
  it.each([100, 110])('at %i columns', async (width) => {
    const rendered = await runGitfleet(['--help'], { env: { GITFLEET_HELP_COLUMNS: String(width) } });
    expect(rendered.code).toBe(0);
    expect(readFileSync(new URL(`../../dist/help/${width}.txt`, import.meta.url), 'utf8')).toBe(rendered.stdout);
    if (width === 100) expect((await runGitfleet(['--help'])).stdout).toBe(rendered.stdout); // the fast path, through a pipe
  });
});
