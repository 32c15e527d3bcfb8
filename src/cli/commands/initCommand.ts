import { UsageError } from '../../errors/index.js';
import { initFleet } from '../../fleet/initFleet.js';
import { prepareLocalRepository } from '../../config/prepareLocalRepository.js';
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
        describe:
          'Also write .github/workflows/pages.yml (dashboard on GitHub Pages) and validate.yml, unless present; they install the release tarball given by --workflow-tarball, pinned by --workflow-integrity',
      })
      .option('workflow-tarball', {
        type: 'string',
        describe: 'With --workflows: the https URL of the gitfleet-<version>.tgz the workflows install (a release asset, say)',
      })
      .option('workflow-integrity', {
        type: 'string',
        describe: 'With --workflows: its sha512 integrity as npm pack prints it (sha512-...); the workflows refuse any other file',
      })
      .example(
        '$0 init --workflows --workflow-tarball https://example.com/gitfleet-0.1.0.tgz --workflow-integrity sha512-...',
        'prepare the repository and its GitHub Pages workflows',
      ),
  async run(ctx, argv) {
    if (argv.workflows && (!argv['workflow-tarball'] || !argv['workflow-integrity'])) {
      // gitfleet is not published on npm: a workflow naming it by version would run whatever
      // whoever holds the name there published. The workflows install a tarball pinned by hash.
      throw new UsageError('--workflows needs --workflow-tarball <https URL of gitfleet-<version>.tgz> and --workflow-integrity <sha512-...>', {
        hint: 'make the tarball with npm pack (it prints the integrity), publish it where the workflows can download it over https, then pass both',
      });
    }
    const fleet = ctx.openFleet();
    const workflows = argv.workflows ? { tarball: argv['workflow-tarball']!, integrity: argv['workflow-integrity']! } : undefined;
    const created = await prepareLocalRepository(fleet.remote, ctx.config.branch, argv.create);
    const result = await initFleet(fleet.store, { branch: ctx.config.branch, ...(argv.name ? { name: argv.name } : {}), ...(workflows ? { workflows } : {}) });
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
