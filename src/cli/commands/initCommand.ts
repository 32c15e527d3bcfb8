import { initFleet } from '../../fleet/initFleet.js';
import { defineCommand } from '../GitfleetCommand.js';

export const initCommand = defineCommand({
  command: 'init',
  describe: 'Prepare a fleet repository: fleet.json and the status/, messages/ and jobs/ folders',
  builder: (y) =>
    y
      .option('name', { type: 'string', describe: 'Display name of the fleet (in fleet.json)' })
      .option('create', { type: 'boolean', default: false, describe: 'Create a bare repository first when --repo is a local path that does not exist' })
      .option('workflows', {
        type: 'boolean',
        default: false,
        describe: 'Also write .github/workflows/pages.yml (dashboard on GitHub Pages) and validate.yml, unless present',
      }),
  async run(ctx, argv) {
    const fleet = ctx.openFleet();
    const { created, result } = await initFleet(fleet, { ...(argv.name ? { name: argv.name } : {}), create: argv.create, workflows: argv.workflows });
    if (ctx.json) {
      ctx.printJson({ repo: fleet.remote.url, branch: ctx.config.branch, created, ...result });
      return;
    }
    if (created) ctx.io.out(`created bare repository ${fleet.remote.url}`);
    if (result.status === 'committed') {
      ctx.io.out(`initialised ${fleet.remote.url} (branch ${ctx.config.branch}): wrote ${result.paths.join(', ')}`);
    } else {
      ctx.io.out(`${fleet.remote.url} (branch ${ctx.config.branch}) is already a fleet repository; nothing to do`);
    }
  },
});
