import type { LocalConfig, WebhookDestination } from '../schema/types.js';

/** The only environment variables a webhook URL is ever read from (so urlEnv cannot name GITFLEET_TOKEN or HOME). */
export const WEBHOOK_ENV_PREFIX = 'GITFLEET_WEBHOOK_';

/** Posts running at once in one delivery round. */
export const POST_CONCURRENCY = 4;

/** This machine's notify settings (gitfleet.config.json "notify") with defaults filled in. */
export interface NotifyConfig {
  webhooks: Record<string, WebhookDestination>;
  allowHosts: string[];
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  roundMs: number;
}

export function resolveNotifyConfig(file: LocalConfig['notify']): NotifyConfig {
  return {
    webhooks: file?.webhooks ?? {},
    allowHosts: (file?.allowHosts ?? []).map((h) => h.toLowerCase()),
    allowPrivateNetworks: file?.allowPrivateNetworks ?? false,
    timeoutMs: (file?.timeoutSeconds ?? 10) * 1000,
    roundMs: (file?.roundSeconds ?? 30) * 1000,
  };
}
