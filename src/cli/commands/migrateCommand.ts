import { migrateArchivesPlan } from '../../store/migrateArchivesPlan.js';
import { defineCommand } from '../GitfleetCommand.js';
import { terminalText } from '../terminalText.js';

/**
 * `gitfleet migrate`: move the fleet repository to layout 2 (sharded archives). One
 * transaction per batch, so running agents and the coordinator keep landing their commits;
 * safe to stop and run again (each step reads the head it lands on).
 */
export const migrateCommand = defineCommand({
  command: 'migrate',
  describe: 'Shard the archives (layout 2) so no folder passes 3,000 entries; batch by batch, safe while the fleet runs',
  builder: (y) => y.example('gitfleet migrate', 'write the layout markers and move archived jobs and messages into their shards'),
  async run(ctx) {
    const fleet = ctx.openFleet();
    let moved = 0;
    let commits = 0;
    let unreadable: string[] = [];
    for (;;) {
      const result = await fleet.store.transact('migrate archives', migrateArchivesPlan());
      if (result.status === 'committed') commits++;
      if (result.status !== 'committed' && result.status !== 'unchanged') break;
      moved += result.value?.moved ?? 0;
      unreadable = result.value?.unreadable ?? [];
      if ((result.value?.remaining ?? 0) === 0 || (result.value?.moved ?? 0) === 0) break;
    }
    if (ctx.json) ctx.printJson({ layout: 2, moved, commits, unreadable });
    else {
      ctx.io.out(`layout 2: moved ${moved} archived records into their shards in ${commits} commits`);
      for (const p of unreadable) ctx.io.out(`left in place (does not parse): ${terminalText(p)}`);
    }
  },
});
