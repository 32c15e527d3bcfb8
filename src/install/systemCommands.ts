import { execFile } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with arguments (never through a shell). */
export type CommandRunner = (argv: string[], input?: string) => Promise<CommandResult>;

export const runCommand: CommandRunner = (argv, input) =>
  new Promise((resolve) => {
    const [file, ...args] = argv;
    const child = execFile(file!, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      resolve({ code, stdout, stderr: stderr || (error && typeof error.code !== 'number' ? error.message : '') });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
