import type { FleetSettings } from '../schema/types.js';
import { ChangeSet } from '../store/ChangeSet.js';
import type { Plan } from '../store/Store.js';

const FOLDER_DOCS: Record<string, string> = {
  'status/README.md':
    "# status/\n\nOne file per server, `<server-id>.json`, written only by that server's gitfleet agent: health, CPU, memory, disk, load, running jobs and a short history. Format: `shared/status.schema.json`.\n",
  'messages/README.md':
    '# messages/\n\nOne immutable file per message, `<id>.json` (ids sort by time). `receipts/<server-id>.json` records what each server has read; `archive/YYYY-MM/` holds old and expired messages. Format: `shared/message.schema.json`, `shared/receipts.schema.json`.\n',
  'jobs/README.md':
    '# jobs/\n\nOne file per job, `<id>.json`, with its whole lifecycle: queued, assigned, running, then succeeded, failed, cancelled or dead. A job names a kind and parameters, never a command: each agent maps kinds to commands in its own local config. The coordinator moves finished jobs to `archive/YYYY-MM/` after a day. Format: `shared/job.schema.json`.\n',
};

/**
 * Prepares a fleet repository: fleet.json (kept if present), a README in each record
 * folder and, when given, the GitHub workflows (path -> text). Idempotent: on a prepared
 * repository it changes nothing, and a file already there is kept, whatever it says (an
 * operator may have edited a workflow).
 */
export function initFleetPlan(settings: Partial<FleetSettings> = {}, workflows: Record<string, string> = {}): Plan {
  return async (snapshot) => {
    const changes = new ChangeSet();
    if (!(await snapshot.entry('fleet.json'))) {
      changes.put('fleet', { ...settings, schemaVersion: 1 } as FleetSettings);
    }
    for (const [path, text] of Object.entries({ ...FOLDER_DOCS, ...workflows })) {
      if (!(await snapshot.entry(path))) changes.putDoc(path, text);
    }
    return changes;
  };
}
