import type { PlainOption } from '../globalOptions.js';

const HEALTH_CHOICES = ['healthy', 'degraded', 'failing', 'suspect', 'offline', 'unknown', 'maintenance', 'invalid'] as const;

/** `gitfleet status`'s own options; apart from the command so that startStatusFetch.ts reads them without loading it. */
export const STATUS_OPTIONS = {
  watch: { type: 'boolean', default: false, describe: 'Refresh in place until Ctrl-C' },
  interval: { type: 'string', default: '5s', describe: 'Refresh interval for --watch' },
  label: { type: 'string', describe: 'Only servers with this label' },
  health: { type: 'string', choices: HEALTH_CHOICES, describe: 'Only servers in this state' },
} as const satisfies Record<string, PlainOption>;
