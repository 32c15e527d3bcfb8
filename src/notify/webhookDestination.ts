import { isIP } from 'node:net';
import type { Webhook } from '../schema/types.js';
import { classifyAddress, isAllowedAddress } from './classifyAddress.js';
import { WEBHOOK_ENV_PREFIX, type NotifyConfig } from './notifyConfig.js';

export type WebhookFormat = NonNullable<Webhook['format']>;

/** Where a webhook posts on this machine, or why it does not. */
export type Destination = { url: URL; format: WebhookFormat; from: 'config' | 'env' | 'fleet' } | { skipped: string };

/**
 * Decides where a fleet.json webhook posts from this machine's config, never from the
 * repository alone: the destination in notify.webhooks.<id>, else a GITFLEET_WEBHOOK_*
 * variable fleet.json names, else fleet.json's url only when its host is in
 * notify.allowHosts. A destination whose host is an IP literal on a refused network is
 * skipped here; host names are checked again on every connection (postWebhook).
 * Reasons never contain the URL: it is usually a secret.
 */
export function webhookDestination(webhook: Webhook, config: NotifyConfig, env: NodeJS.ProcessEnv): Destination {
  const local = Object.hasOwn(config.webhooks, webhook.id) ? config.webhooks[webhook.id] : undefined;
  const format: WebhookFormat = local?.format ?? webhook.format ?? 'generic';
  let picked: { text: string; from: 'config' | 'env' | 'fleet'; what: string } | undefined;
  if (local) {
    const fromEnv = local.urlEnv ? env[local.urlEnv] : undefined;
    if (fromEnv) picked = { text: fromEnv, from: 'config', what: `the variable ${local.urlEnv}` };
    else if (local.url) picked = { text: local.url, from: 'config', what: `notify.webhooks.${webhook.id}.url` };
    else if (local.urlEnv) return { skipped: `no URL: set the environment variable ${local.urlEnv}` };
    else return { skipped: `notify.webhooks.${webhook.id} in this machine's config has neither url nor urlEnv` };
  } else {
    if (webhook.urlEnv && !webhook.urlEnv.startsWith(WEBHOOK_ENV_PREFIX)) {
      return {
        skipped: `fleet.json names the environment variable ${webhook.urlEnv}; only ${WEBHOOK_ENV_PREFIX}* variables are read (or give a destination in notify.webhooks.${webhook.id} of this machine's config)`,
      };
    }
    const fromEnv = webhook.urlEnv ? env[webhook.urlEnv] : undefined;
    if (fromEnv) {
      picked = { text: fromEnv, from: 'env', what: `the variable ${webhook.urlEnv}` };
    } else if (webhook.url) {
      const host = hostOf(webhook.url);
      if (host === undefined) return { skipped: 'its fleet.json url is not a valid http(s) URL' };
      if (!hostAllowed(host, config.allowHosts)) {
        return {
          skipped: `no destination for webhook ${webhook.id} in this machine's config (add notify.webhooks.${webhook.id}, or host ${host} to notify.allowHosts)`,
        };
      }
      picked = { text: webhook.url, from: 'fleet', what: 'its fleet.json url' };
    } else if (webhook.urlEnv) {
      return { skipped: `no URL: set the environment variable ${webhook.urlEnv}` };
    } else {
      return { skipped: `no destination for webhook ${webhook.id} in this machine's config (add notify.webhooks.${webhook.id})` };
    }
  }
  const url = parseHttpUrl(picked.text);
  if (!url) return { skipped: `${picked.what} is not a valid http(s) URL` };
  // Names are judged by what they resolve to, on every connection (postWebhook).
  const literal = bareHost(url.hostname);
  const refused = isIP(literal) ? refusedAddress(literal, config.allowPrivateNetworks) : undefined;
  if (refused) return { skipped: refused };
  return { url, format, from: picked.from };
}

/** Why this machine must not connect to `address` (one the host name resolved to, or an IP literal), or undefined. */
export function refusedAddress(address: string, allowPrivateNetworks: boolean, host = address): string | undefined {
  const kind = classifyAddress(address);
  if (isAllowedAddress(kind, allowPrivateNetworks)) return undefined;
  const hint =
    kind === 'multicast' || kind === 'unspecified' || kind === 'reserved' ? '' : " (set notify.allowPrivateNetworks in this machine's config to allow it)";
  return `destination ${host === address ? address : `${host} (${address})`} is a ${kind} address, refused${hint}`;
}

/** The URL parser keeps IPv6 literals in brackets; DNS and net want them bare. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function parseHttpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function hostOf(text: string): string | undefined {
  return parseHttpUrl(text)?.hostname.toLowerCase();
}

/** Exact host, or "*.example.com" for any name below example.com. Both sides in the URL parser's canonical form. */
function hostAllowed(host: string, allowHosts: readonly string[]): boolean {
  return allowHosts.some((entry) => {
    if (entry.startsWith('*.')) return host.endsWith(entry.slice(1)) && host.length > entry.length - 1;
    return canonicalHost(entry) === host;
  });
}

function canonicalHost(entry: string): string | undefined {
  return parseHttpUrl(`http://${entry}/`)?.hostname.toLowerCase();
}
