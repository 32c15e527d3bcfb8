import type { Fleet } from '../../config/openFleet.js';
import { UsageError } from '../../errors/index.js';
import { siteDashboardConfig } from '../../site/siteDashboardConfig.js';
import { writeSite } from '../../site/writeSite.js';
import { describeSiteSnapshot } from '../../site/writeSiteSnapshot.js';
import { defineCommand } from '../GitfleetCommand.js';
import { plural } from '../plural.js';

export const siteCommand = defineCommand({
  command: 'site',
  describe: 'Write the static dashboard site for GitHub Pages into <dir>: the dashboard, snapshot.json, dashboard.json and status badges',
  builder: (y) =>
    y
      .option('out', { type: 'string', describe: 'Folder to write the site into (new, empty, or an earlier site: it is replaced)' })
      .option('github', {
        type: 'string',
        describe: 'owner/repo the page refreshes from, live (default: $GITHUB_REPOSITORY; "" for the snapshot only)',
      })
      .option('title', { type: 'string', describe: 'Title in the page header (default: the fleet name)' })
      .option('source-maps', { type: 'boolean', default: false, describe: "Also publish the dashboard's source maps (they show its sources)" })
      .example('$0 site --out _site --github owner/fleet', 'a GitHub Pages site that refreshes from owner/fleet'),
  async run(ctx, argv) {
    if (!argv.out) throw new UsageError('say where to write the site', { hint: 'e.g. gitfleet site --out _site' });
    const github = argv.github ?? (ctx.env.GITHUB_REPOSITORY || undefined);
    // The live view follows the branch the fleet is configured with (--branch, GITFLEET_BRANCH,
    // the config file); in a workflow with none of them, the branch that triggered it.
    const branch = ctx.config.file.branch ?? (ctx.env.GITHUB_REF_NAME || ctx.config.branch);
    const config = siteDashboardConfig({ github, branch, title: argv.title });
    // Opened only when writeSite is past its checks (a refused folder costs no fetch), and once.
    let fleet: Fleet | undefined;
    const open = () => (fleet ??= ctx.openFleet());
    const result = await writeSite({
      out: argv.out,
      config,
      sourceMaps: argv['source-maps'],
      readSnapshot: () => open().store.snapshot(),
      remoteUrl: () => open().remote.url,
    });
    const live = result.config.live?.type === 'github' ? `${result.config.live.owner}/${result.config.live.repo}@${result.config.live.branch}` : null;
    if (ctx.json) {
      ctx.printJson({
        dir: result.dir,
        files: result.files,
        commit: result.site.commit,
        records: Object.keys(result.site.files).length,
        skipped: result.site.skipped,
        live: result.config.live,
      });
      return;
    }
    ctx.io.out(
      `wrote ${result.dir} (${plural(result.files.length, 'file')}): ${describeSiteSnapshot(result.site)}; ${live ? `live from github ${live}` : 'snapshot only'}`,
    );
  },
});
