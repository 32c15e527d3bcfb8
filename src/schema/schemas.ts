import defs from '../../shared/defs.schema.json' with { type: 'json' };
import fleet from '../../shared/fleet.schema.json' with { type: 'json' };
import job from '../../shared/job.schema.json' with { type: 'json' };
import message from '../../shared/message.schema.json' with { type: 'json' };
import receipts from '../../shared/receipts.schema.json' with { type: 'json' };
import status from '../../shared/status.schema.json' with { type: 'json' };
import config from '../../shared/config.schema.json' with { type: 'json' };
import notifications from '../../shared/notifications.schema.json' with { type: 'json' };
import coordinator from '../../shared/coordinator.schema.json' with { type: 'json' };

/** The JSON Schemas of shared/, bundled in at build time. */
export const SCHEMAS = { defs, fleet, status, job, message, receipts, notifications, coordinator, config } as const;
