import { UsageError } from '../../errors/index.js';
import { describeSiteSnapshot, writeSiteSnapshot } from '../../site/writeSiteSnapshot.js';
import { defineCommand } from '../GitfleetCommand.js';

export const snapshotCommand = defineCommand({
  command: 'snapshot',
  describe: "Write the fleet's live records to <dir>/snapshot.json, for the dashboard's first paint (GitHub Pages)",
  builder: (y) =>
    y.option('out', { type: 'string', describe: 'Folder to write snapshot.json into' }).example('$0 snapshot --out site', 'write site/snapshot.json'),
  async run(ctx, argv) {
    if (!argv.out) throw new UsageError('say where to write the snapshot', { hint: 'e.g. gitfleet snapshot --out site' });
    const { file, site } = await writeSiteSnapshot(await ctx.openFleet().store.snapshot(), argv.out);
    if (ctx.json) ctx.printJson({ file, commit: site.commit, files: Object.keys(site.files).length, skipped: site.skipped });
    else ctx.io.out(`wrote ${file}: ${describeSiteSnapshot(site)}`);
  },
});
