import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { helpWidth, prebuiltHelp } from './prebuiltHelp.js';

describe('prebuiltHelp: gitfleet --help from the file the build wrote', () => {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'help'));
  writeFileSync(path.join(dir, 'help', '100.txt'), 'help at 100\n');
  const cli = pathToFileURL(path.join(dir, 'gitfleet.js')).href;
  afterAll(() => cleanupTempDirs());

  it('serves --help and -h alone, at a width the build rendered', () => {
    expect(prebuiltHelp(['--help'], {}, () => undefined, cli)).toBe('help at 100\n');
    expect(prebuiltHelp(['-h'], {}, () => 100, cli)).toBe('help at 100\n');
  });

  it('leaves everything else to yargs', () => {
    expect(prebuiltHelp(['status', '--help'], {}, () => undefined, cli)).toBeNull();
    expect(prebuiltHelp(['--help'], {}, () => 80, cli)).toBeNull(); // a narrow terminal
    expect(prebuiltHelp(['--help'], {}, () => 200, cli)).toBeNull(); // 110 was not written here
    expect(prebuiltHelp(['--help'], { GITFLEET_HELP_COLUMNS: '100' }, () => undefined, cli)).toBeNull();
    expect(prebuiltHelp(['--help'], {}, () => undefined, pathToFileURL(path.join(dir, 'elsewhere', 'x.js')).href)).toBeNull();
  });

  it('lays out at the terminal width, at most 110, and 100 for a pipe', () => {
    expect(helpWidth({}, undefined)).toBe(100);
    expect(helpWidth({}, 80)).toBe(80);
    expect(helpWidth({}, 200)).toBe(110);
    expect(helpWidth({ GITFLEET_HELP_COLUMNS: '110' }, undefined)).toBe(110);
  });
});
