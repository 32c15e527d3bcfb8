import { toDnsLabel } from './mapIds.js';

const EVERYONE = new Set(['all', 'everyone', '*', 'broadcast', 'fleet', 'all servers', 'all-servers', 'everybody']);

/** Who a Build name is in gitfleet: a server of the tree, or an operator (op:<label>). */
export class BuildActors {
  /** `servers`: Build folder names -> gitfleet server ids. */
  constructor(private readonly servers: ReadonlyMap<string, string>) {}

  /** The server id of a Build name ("build1", "Build1"), or undefined. */
  server(name: string): string | undefined {
    const trimmed = name.trim();
    return this.servers.get(trimmed) ?? this.servers.get(trimmed.toLowerCase()) ?? [...this.servers.values()].find((id) => id === toDnsLabel(trimmed));
  }

  /** A sender: a server id, else op:<name> (Build's senders include people and assistants). */
  actor(name: string): string {
    return this.server(name) ?? `op:${toDnsLabel(name)}`;
  }

  /** A recipient: all, a server id, else op:<name>. */
  recipient(name: string): string {
    return EVERYONE.has(name.trim().toLowerCase()) ? 'all' : this.actor(name);
  }
}
