/** Host names that always mean "this machine". */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The name in a Host header, without its port, lowercased ("" when absent or malformed). */
export function hostName(header: string | undefined): string {
  if (!header || header.length > 300 || /[\s,/\\@]/.test(header)) return '';
  return header.replace(/:\d{1,5}$/, '').toLowerCase();
}

/** True when the server listens on every address (served to the network on purpose). */
export function listensOnEveryAddress(listenHost: string): boolean {
  return listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '';
}

/**
 * Whether a request's Host header names this server: a loopback name or the address it
 * listens on; anything when it listens on every address. This is the defence against
 * DNS rebinding: a web page the operator visits could otherwise point its own name at
 * 127.0.0.1 and talk to a loopback server same-origin (read the fleet's records, push).
 */
export function hostHeaderAllowed(listenHost: string, header: string | undefined): boolean {
  if (listensOnEveryAddress(listenHost)) return true;
  const name = hostName(header);
  if (name === '') return false;
  const own = listenHost.includes(':') ? `[${listenHost.toLowerCase()}]` : listenHost.toLowerCase();
  return LOOPBACK_NAMES.has(name) || name === own;
}

/** Whether a Host header names this machine by a loopback name. */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  return LOOPBACK_NAMES.has(hostName(header));
}

/** Whether a socket's peer address is on this machine. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/i, '');
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}
