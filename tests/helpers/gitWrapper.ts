import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './tempDir.js';

export interface GitWrapper {
  /** PATH with the wrapper first: pass it in the environment of what runs git. */
  path: string;
  /** The argument lists of the git processes started so far, one string each. */
  calls(): string[];
}

/**
 * A `git` on PATH that logs each command line and runs the real git: counts the git
 * processes a command starts. With `refuseBatchCommand` it answers
 * `cat-file --batch-command` as a git older than 2.36 does (exit 129, unknown option).
 */
export function gitWrapper(options: { refuseBatchCommand?: boolean } = {}): GitWrapper {
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const dir = tempDir('gitfleet-git-wrapper-');
  const log = path.join(dir, 'calls.log');
  const refuse = options.refuseBatchCommand
    ? `case " $* " in *" --batch-command "*) echo "error: unknown option \\\`batch-command'" >&2; echo "usage: git cat-file <type> <object>" >&2; exit 129;; esac\n`
    : '';
  writeFileSync(path.join(dir, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n${refuse}exec '${real}' "$@"\n`);
  chmodSync(path.join(dir, 'git'), 0o755);
  return {
    path: `${dir}${path.delimiter}${process.env.PATH ?? ''}`,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}
