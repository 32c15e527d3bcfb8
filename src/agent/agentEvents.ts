import type { EventLevels } from '../util/TypedEvents.js';

type Delivered = { server: string; id: string; from: string; to: string; priority: string; subject: string };

/** What an agent says happened: `agent.events.on(...)` in tests, the logger in processes. */
export type AgentEvents = {
  'agent.published': { server: string; reason: string; attempts: number; ms: number; via?: 'relay' };
  /** The remote could not be reached: the status waits in the outbox (once per outage). */
  'agent.offline': { server: string; reason: string; outbox: string };
  'agent.online': { server: string; offlineSeconds: number };
  'agent.publish-failed': { server: string; code: string; reason: string };
  /** The site relay did not take a heartbeat: this one goes to the fleet repository directly (once per outage). */
  'agent.relay-down': { server: string; code: string; reason: string };
  /** The relay took a heartbeat again after being down. */
  'agent.relay-back': { server: string };
  'agent.state-save-failed': { reason: string };
  /** A critical message arrived (logged as an error: an operator's pager may watch for it). */
  'message.critical': Delivered;
  'message.received': Delivered;
  /** Messages cannot be picked up (an unreadable receipts file): once per reason. */
  'message.inbox-blocked': { server: string; reason: string };
  /** fleet.json is invalid or out of bounds: the last valid settings (or the defaults) apply. Once per reason. */
  'fleet.invalid': { server: string; reason: string } & Record<string, unknown>;
  'fleet.setting-clamped': { server: string; reason: string };
};

export const AGENT_EVENT_LEVELS: EventLevels<AgentEvents> = {
  'agent.published': 'debug',
  'agent.offline': 'warn',
  'agent.online': 'info',
  'agent.publish-failed': 'error',
  'agent.relay-down': 'warn',
  'agent.relay-back': 'info',
  'agent.state-save-failed': 'warn',
  'message.critical': 'error',
  'message.received': 'info',
  'message.inbox-blocked': 'warn',
  'fleet.invalid': 'warn',
  'fleet.setting-clamped': 'warn',
};
