import type { Fleet } from '../config/openFleet.js';
import { resolveFleetSettings } from '../fleet/fleetSettings.js';
import type { Webhook } from '../schema/types.js';
import type { Logger } from '../util/logger.js';
import { redact } from '../util/redact.js';
import { collectEvents, eventsFor, type NotifyEvent } from './notificationEvents.js';
import { claimPlan, needsSending, recordPlan } from './notificationPlans.js';
import { webhookPayload } from './webhookPayload.js';

export interface NotifyReport {
  webhook: string;
  sent: string[];
  failed: { key: string; error: string }[];
  skipped?: string;
}

export interface NotifyOptions {
  actor: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  dryRun?: boolean;
  now?: number;
  timeoutMs?: number;
}

/**
 * `gitfleet notify`: posts each pending event (critical message, dead server, dead job)
 * to each webhook of fleet.json, once. An event is claimed in a transaction before the
 * post and the outcome is recorded after it, so concurrent notifiers (several
 * coordinators) never both send it. Only a notifier that dies between posting and
 * recording can cause a repeat, after a five-minute lease.
 */
export async function sendNotifications(fleet: Fleet, options: NotifyOptions): Promise<NotifyReport[]> {
  const now = options.now ?? Date.now();
  const snapshot = await fleet.store.snapshot();
  const all = await snapshot.read({ archives: false });
  const settings = resolveFleetSettings(all.fleet, fleet.remote.url);
  const events = collectEvents({ messages: all.messages, jobs: all.jobs, status: all.status, settings }, now);
  const reports: NotifyReport[] = [];
  for (const webhook of settings.webhooks) {
    const url = webhookUrl(webhook, options.env ?? process.env);
    if (!url) {
      reports.push({ webhook: webhook.id, sent: [], failed: [], skipped: `no URL: set the environment variable ${webhook.urlEnv}` });
      continue;
    }
    const record = all.notifications.find((n) => n.webhook === webhook.id);
    const pending = eventsFor(webhook, events).filter((e) => needsSending(record?.events[e.key], now));
    if (options.dryRun || pending.length === 0) {
      reports.push({ webhook: webhook.id, sent: options.dryRun ? pending.map((e) => e.key) : [], failed: [] });
      continue;
    }
    const claimed: NotifyEvent[] = [];
    await fleet.store.transact(`notify ${webhook.id}: claim ${pending.length}`, claimPlan(webhook.id, pending, options.actor, claimed, now));
    const outcomes = [];
    for (const event of claimed) outcomes.push({ key: event.key, ...(await post(url, webhook, event, settings.name, options.timeoutMs ?? 10_000)) });
    if (outcomes.length) await fleet.store.transact(`notify ${webhook.id}: ${outcomes.filter((o) => o.ok).length} sent`, recordPlan(webhook.id, outcomes, options.actor, Date.now()));
    const report: NotifyReport = {
      webhook: webhook.id,
      sent: outcomes.filter((o) => o.ok).map((o) => o.key),
      failed: outcomes.filter((o) => !o.ok).map((o) => ({ key: o.key, error: o.error ?? 'failed' })),
    };
    for (const f of report.failed) options.logger?.warn('notify.failed', { webhook: webhook.id, event: f.key, reason: f.error });
    reports.push(report);
  }
  return reports;
}

function webhookUrl(webhook: Webhook, env: NodeJS.ProcessEnv): string | undefined {
  return webhook.urlEnv ? env[webhook.urlEnv] || webhook.url : webhook.url;
}

async function post(url: string, webhook: Webhook, event: NotifyEvent, fleetName: string, timeoutMs: number): Promise<{ ok: boolean; status?: number; error?: string }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'gitfleet' },
      body: JSON.stringify(webhookPayload(webhook.format, event, fleetName)),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    await res.body?.cancel();
    return res.ok ? { ok: true, status: res.status } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (error) {
    // The URL is a secret: never let it into a message.
    return { ok: false, error: redact(String((error as Error).message ?? error)).replace(url, '<webhook url>') };
  }
}
