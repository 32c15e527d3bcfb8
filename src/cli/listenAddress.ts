import net from 'node:net';
import { UsageError } from '../errors/index.js';

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Checks --port and --host of a command that listens (serve, relay); `hints` name its usual values. */
export function checkListenAddress(port: number, host: string, hints: { port: number; host: string }): void {
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError('--port must be a whole number from 0 to 65535', { hint: `e.g. --port ${hints.port}, or 0 for any free port` });
  if (!net.isIP(host) && !HOSTNAME.test(host))
    throw new UsageError(`--host ${JSON.stringify(host.slice(0, 80))} is not an address or a host name`, { hint: `e.g. --host ${hints.host}` });
}
