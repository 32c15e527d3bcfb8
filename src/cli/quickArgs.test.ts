import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { statusCommand } from './commands/statusCommand.js';
import { GLOBAL_OPTION_SPECS } from './globalOptions.js';
import { quickArgs } from './quickArgs.js';

/** The argv runCli's yargs set-up hands the status handler, or the error it fails with. */
async function yargsArgv(args: string[]): Promise<Record<string, unknown> | Error> {
  let seen: Record<string, unknown> | undefined;
  let parser = yargs(args).scriptName('gitfleet');
  for (const [name, spec] of Object.entries(GLOBAL_OPTION_SPECS)) parser = parser.option(name, { ...spec, global: true });
  try {
    await parser
      .command({
        command: 'status',
        describe: statusCommand.describe,
        builder: statusCommand.builder!,
        handler: (argv) => {
          seen = { ...argv };
        },
      })
      .demandCommand(1)
      .strict()
      .exitProcess(false)
      .fail((message, error) => {
        throw error ?? new Error(message);
      })
      .help()
      .alias('h', 'help')
      .parseAsync();
  } catch (error) {
    return error as Error;
  }
  return seen ?? new Error('no handler ran');
}

const quick = (args: string[]) => quickArgs(args, 'status', { ...GLOBAL_OPTION_SPECS, ...statusCommand.plainOptions });

// `gitfleet status ...` runs without yargs when its arguments are plain: the handler must get
// exactly what yargs would give it, and anything else must go to yargs.
describe('quickArgs reads a plain invocation as yargs does', () => {
  it.each([
    [['status']],
    [['status', '--repo', 'https://example.com/fleet.git']],
    [['status', '--repo=/srv/fleet.git', '--json']],
    [['status', '--json', '--repo', 'x']],
    [['status', '--cache-dir', '/var/cache/gitfleet', '--data-dir', '/var/lib/gitfleet', '--iso']],
    [['status', '--health', 'offline', '--label', 'web']],
    [['status', '--label=web=1', '--health=suspect']],
    [['status', '--watch', '--interval', '10s']],
    [['status', '--interval', '2']],
    [['status', '--backend', 'js', '--log-level', 'debug', '--branch', 'fleet/main', '--server', 'web-01', '--config', 'c.json']],
  ])('%j', async (args) => {
    const expected = await yargsArgv(args);
    expect(expected).not.toBeInstanceOf(Error);
    expect(quick(args)).toEqual(expected);
  });

  it.each([
    [['status', '--help']],
    [['status', '-h']],
    [['status', '--version']],
    [['status', '--repo']],
    [['status', '--repo', '']],
    [['status', '--repo=']],
    [['status', '--repo', '-x']],
    [['status', '--repo', 'a', '--repo', 'b']],
    [['status', '--no-json']],
    [['status', '--json', 'false']],
    [['status', '--json=false']],
    [['status', '--watch=true']],
    [['status', '--cacheDir', 'x']],
    [['status', '--health', 'sick']],
    [['status', '--backend', 'svn']],
    [['status', 'extra']],
    [['status', '--', 'x']],
    [['status', '--unknown', '1']],
    [['status', '-j']],
    [['status', '--constructor', 'x']],
    [['statusx']],
    [['msg', 'list']],
  ])('leaves %j to yargs', (args) => {
    expect(quick(args)).toBeNull();
  });

  it('applies the defaults of options not given, as yargs does', async () => {
    expect(quick(['status'])).toMatchObject({ watch: false, interval: '5s' });
    expect(quick(['status'])).not.toHaveProperty('json');
  });
});
