import path from 'node:path';
import { UsageError } from '../../errors/index.js';
import { buildSiteSnapshot } from '../../site/buildSiteSnapshot.js';
import { writeFileAtomic } from '../../util/writeFileAtomic.js';
import { defineCommand } from '../GitfleetCommand.js';

export const snapshotCommand = defineCommand({
  command: 'snapshot',
  describe: 'Write the fleet\'s live records to <dir>/snapshot.json, for the dashboard\'s first paint (GitHub Pages)',
  builder: (y) => y.option('out', { type: 'string', describe: 'Folder to write snapshot.json into' }),
  async run(ctx, argv) {
    if (!argv.out) throw new UsageError('say where to write the snapshot', { hint: 'e.g. gitfleet snapshot --out site' });
    const snapshot = await ctx.openFleet().store.snapshot();
    const site = await buildSiteSnapshot(snapshot);
    const file = path.resolve(argv.out, 'snapshot.json');
    // Published as it is: readable by the web server.
    await writeFileAtomic(file, JSON.stringify(site), 0o644);
    const count = Object.keys(site.files).length;
    if (ctx.json) ctx.printJson({ file, commit: site.commit, files: count, skipped: site.skipped });
    else ctx.io.out(`wrote ${file}: ${count} records at ${site.commit?.slice(0, 10)}${site.skipped.length ? `; left out ${site.skipped.length} (${site.skipped.map((s) => s.path).join(', ').slice(0, 200)})` : ''}`);
  },
});
