import yargs from 'yargs';
import { defineCommand } from '../GitfleetCommand.js';

type Shell = 'bash' | 'zsh';

/**
 * yargs' own completion script for bash or zsh. The script asks `gitfleet
 * --get-yargs-completions <words>` for the candidates, which runCli's parser answers
 * from the registered commands and options (yargs handles that flag on every parser).
 */
export async function completionScript(shell: Shell): Promise<string> {
  // yargs picks the zsh template when $SHELL or $ZSH_NAME says zsh, read once when a
  // parser is made: a parser of its own, made with the shell asked for.
  const saved = { SHELL: process.env.SHELL, ZSH_NAME: process.env.ZSH_NAME };
  process.env.SHELL = shell === 'zsh' ? '/bin/zsh' : '/bin/bash';
  delete process.env.ZSH_NAME;
  try {
    const parser = yargs().scriptName('gitfleet').completion('completion', false);
    // With a callback, parse() hands back what it would print instead of printing it.
    return await new Promise<string>((resolve, reject) => {
      parser.parse(['completion'], {}, (error, _argv, output) => (error ? reject(error) : resolve(output)));
    });
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

export const completionCommand = defineCommand({
  command: 'completion [shell]',
  describe: 'Print a bash or zsh completion script: source <(gitfleet completion)',
  builder: (y) =>
    y
      .positional('shell', {
        choices: ['bash', 'zsh'] as const,
        describe: 'The shell (default: zsh when $SHELL is zsh, else bash)',
      })
      .example('source <($0 completion)', 'complete gitfleet commands in this shell'),
  async run(ctx, argv) {
    const shell: Shell = (argv as { shell?: Shell }).shell ?? (/zsh/.test(ctx.env.SHELL ?? '') ? 'zsh' : 'bash');
    const script = (await completionScript(shell)).trimEnd();
    if (ctx.json) ctx.printJson({ shell, script });
    else ctx.io.out(script);
  },
});
