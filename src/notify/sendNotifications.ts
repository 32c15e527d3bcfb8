import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { LocalConfig } from '../schema/types.js';
import type { Store } from '../store/Store.js';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import { recordPath } from '../store/recordPaths.js';
import type { Logger } from '../util/logger.js';
import { registerSecret } from '../util/redact.js';
import { collectEvents, eventsFor, type NotifyEvent } from './notificationEvents.js';
import { allPlans, claimPlan, needsSending, recordPlan } from './notificationPlans.js';
import { POST_CONCURRENCY, resolveNotifyConfig, type NotifyConfig } from './notifyConfig.js';
import { postWebhook, type PostFailure, type PostOutcome } from './postWebhook.js';
import { bareHost, refusedAddress, webhookDestination, type WebhookFormat } from './webhookDestination.js';
import { webhookPayload } from './webhookPayload.js';

export interface NotifyReport {
  webhook: string;
  sent: string[];
  failed: { key: string; error: PostFailure }[];
  skipped?: string;
}

export interface NotifyOptions {
  actor: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  dryRun?: boolean;
  now?: number;
  /** Aborts the round's posts (they are recorded as failed); a shutdown passes SHUTDOWN as the reason. */
  signal?: AbortSignal;
}

interface Target {
  id: string;
  url: URL;
  format: WebhookFormat;
  claimed: NotifyEvent[];
  outcomes: (PostOutcome & { key: string })[];
}

/**
 * One delivery round of `gitfleet notify`: posts each pending event (critical message,
 * dead server, dead job) once to each fleet.json webhook that has a destination in this
 * machine's config (see webhookDestination: the repository only selects among them).
 * Events are claimed in one transaction before any post and the outcomes recorded in
 * one after, so concurrent notifiers never both send an event; only a notifier that dies
 * between posting and recording can cause a repeat, after a five-minute lease. Posts run
 * concurrently (POST_CONCURRENCY at a time), each bounded by notify.timeoutSeconds and
 * all of them by notify.roundSeconds.
 */
/** What a delivery round needs: the fleet's store, its remote URL (for the push budget's defaults) and this host's notify section. */
export interface NotifyTarget {
  store: Store;
  remoteUrl: string;
  notify: LocalConfig['notify'];
}

export async function sendNotifications(fleet: NotifyTarget, options: NotifyOptions): Promise<NotifyReport[]> {
  const now = options.now ?? Date.now();
  const config = resolveNotifyConfig(fleet.notify);
  const env = options.env ?? process.env;
  const snapshot = await fleet.store.snapshot();
  const all = await snapshot.read({ archives: false });
  const settings = resolveFleetSettings(all.fleet, fleet.remoteUrl);
  const events = collectEvents({ messages: all.messages, jobs: all.jobs, status: all.status, settings }, now);
  const reports: NotifyReport[] = [];
  const targets: Target[] = [];
  const pendingOf = new Map<string, NotifyEvent[]>();
  for (const webhook of settings.webhooks) {
    const destination = webhookDestination(webhook, config, env);
    const skipped = 'skipped' in destination ? destination.skipped : await refusedName(destination.url, config);
    if (skipped !== undefined || 'skipped' in destination) {
      reports.push({ webhook: webhook.id, sent: [], failed: [], skipped: skipped! });
      continue;
    }
    // A webhook URL is a credential: mask it in anything gitfleet prints, like a token.
    registerSecret(destination.url.href);
    const unreadable = all.invalid.find((f) => f.path === recordPath('notifications', webhook.id));
    if (unreadable) {
      reports.push({ webhook: webhook.id, sent: [], failed: [], skipped: `${unreadable.path} is invalid (${unreadable.reason}); fix or delete it` });
      continue;
    }
    const record = all.notifications.find((n) => n.webhook === webhook.id);
    const pending = eventsFor(webhook, events).filter((e) => needsSending(record?.events[e.key], now));
    if (options.dryRun || pending.length === 0) {
      reports.push({ webhook: webhook.id, sent: options.dryRun ? pending.map((e) => e.key) : [], failed: [] });
      continue;
    }
    pendingOf.set(webhook.id, pending);
    targets.push({ id: webhook.id, url: destination.url, format: destination.format, claimed: [], outcomes: [] });
  }
  if (targets.length > 0) {
    const claimed = targets.reduce((n, t) => n + pendingOf.get(t.id)!.length, 0);
    const claim = await fleet.store.transact(
      `notify: claim ${claimed} for ${targets.map((t) => t.id).join(', ')}`,
      allPlans(targets.map((t) => claimPlan(t.id, pendingOf.get(t.id)!, options.actor, now))),
    );
    // What each webhook won, by the attempt that landed (values come in the order of the plans).
    const won = 'value' in claim ? (claim.value ?? []) : [];
    for (const [i, t] of targets.entries()) t.claimed = won[i] ?? [];
    await postAll(targets, settings.name, config, options.signal);
    const posted = targets.filter((t) => t.outcomes.length > 0);
    if (posted.length > 0) {
      const sent = posted.reduce((n, t) => n + t.outcomes.filter((o) => o.ok).length, 0);
      await fleet.store.transact(`notify: ${sent} sent`, allPlans(posted.map((t) => recordPlan(t.id, t.outcomes, options.actor, Date.now()))));
    }
    for (const t of targets) {
      const report: NotifyReport = {
        webhook: t.id,
        sent: t.outcomes.filter((o) => o.ok).map((o) => o.key),
        failed: t.outcomes.filter((o) => !o.ok).map((o) => ({ key: o.key, error: o.error ?? 'network' })),
      };
      for (const f of report.failed) options.logger?.warn('notify.failed', { webhook: t.id, event: f.key, reason: f.error });
      reports.push(report);
    }
  }
  // fleet.json's order, whatever was skipped or sent.
  const order = settings.webhooks.map((w) => w.id);
  return reports.sort((a, b) => order.indexOf(a.webhook) - order.indexOf(b.webhook));
}

/** Every claimed event of every target, POST_CONCURRENCY at a time, within notify.roundSeconds. */
async function postAll(targets: Target[], fleetName: string, config: NotifyConfig, outer: AbortSignal | undefined): Promise<void> {
  const round = AbortSignal.timeout(config.roundMs);
  const signal = outer ? AbortSignal.any([outer, round]) : round;
  const queue = targets.flatMap((t) => t.claimed.map((event) => ({ t, event })));
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const body = JSON.stringify(webhookPayload(next.t.format, next.event, fleetName));
      const outcome = await postWebhook(next.t.url, body, { allowPrivateNetworks: config.allowPrivateNetworks, timeoutMs: config.timeoutMs, signal });
      next.t.outcomes.push({ key: next.event.key, ...outcome });
    }
  };
  await Promise.all(Array.from({ length: Math.min(POST_CONCURRENCY, queue.length) }, worker));
}

/**
 * A host name whose addresses are refused, checked before claiming so such a webhook is
 * reported as skipped instead of failing every event. Not the guard itself: postWebhook
 * checks the addresses again on the connection that is actually made.
 */
async function refusedName(url: URL, config: NotifyConfig): Promise<string | undefined> {
  const host = bareHost(url.hostname);
  if (isIP(host)) return undefined;
  const addresses = await lookup(host, { all: true }).catch(() => []);
  for (const a of addresses) {
    const refused = refusedAddress(a.address, config.allowPrivateNetworks, host);
    if (refused) return refused;
  }
  return undefined;
}
