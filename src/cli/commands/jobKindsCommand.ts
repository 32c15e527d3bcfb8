import { listKinds, type KindSummary } from '../../jobs/listKinds.js';
import { defineCommand } from '../GitfleetCommand.js';
import { formatTable } from '../formatTable.js';

export const jobKindsCommand = defineCommand({
  command: 'kinds',
  describe: 'The job kinds the servers run: each parameter with its pattern, whether it is required, and which servers run the kind',
  builder: (y) => y.example('$0 job kinds', "what job submit accepts, from the servers' status records"),
  async run(ctx) {
    const snapshot = await ctx.openFleet().store.snapshot();
    const kinds = listKinds((await snapshot.list('status')).records);
    if (ctx.json) {
      ctx.printJson(kinds);
      return;
    }
    if (kinds.length === 0) {
      ctx.io.out("no server runs any job kind: define jobs.kinds in the agents' gitfleet.config.json");
      return;
    }
    ctx.io.out(
      formatTable(kinds.flatMap(rows), [
        { header: 'KIND', value: (r) => r.kind, max: 64 },
        { header: 'PARAM', value: (r) => r.param },
        { header: 'REQUIRED', value: (r) => r.required },
        { header: 'PATTERN', value: (r) => r.pattern, max: 200 },
        { header: 'SERVERS', value: (r) => r.servers, max: 80 },
      ]),
    );
  },
});

interface Row {
  kind: string;
  param: string;
  required: string;
  pattern: string;
  servers: string;
}

/** A row per parameter description; the servers column only where servers disagree, the kind's servers on its first row. */
function rows(k: KindSummary): Row[] {
  const agree = k.undescribed.length === 0 && k.params.every((p) => p.servers.length === k.servers.length);
  const out: Row[] = k.params.map((p) => ({
    kind: k.kind,
    param: p.name,
    required: p.required ? 'yes' : 'no',
    pattern: p.pattern + (p.optionLike ? ' (may start with -)' : ''),
    servers: agree ? '' : serverList(p.servers),
  }));
  if (k.undescribed.length > 0)
    out.push({ kind: k.kind, param: '?', required: '-', pattern: '(not advertised: not checked at submit)', servers: serverList(k.undescribed) });
  if (out.length === 0) out.push({ kind: k.kind, param: '-', required: '-', pattern: '(takes no parameters)', servers: '' });
  out[0]!.servers = agree ? `${serverList(k.servers)}` : out[0]!.servers;
  for (const r of out.slice(1)) if (r.kind === k.kind) r.kind = '';
  return out;
}

function serverList(servers: string[]): string {
  return servers.length <= 4 ? servers.join(', ') : `${servers.slice(0, 3).join(', ')} and ${servers.length - 3} more`;
}
