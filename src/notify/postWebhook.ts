import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { bareHost, refusedAddress } from './webhookDestination.js';

/**
 * What is recorded about a post: a fixed category and at most the status number.
 * Nothing the remote host sent (body, reason phrase, error text) is ever kept, so a
 * fleet.json webhook cannot be used to scan a network and read the report in git.
 */
export type PostFailure =
  | 'timeout'
  | 'refused address'
  | 'connection refused'
  | 'dns'
  | 'tls'
  | 'network'
  | 'redirect'
  | 'bad response'
  | 'aborted'
  | `HTTP ${number}`;

export interface PostOutcome {
  ok: boolean;
  status?: number;
  error?: PostFailure;
}

const ADDRESS_REFUSED = 'EGITFLEET_ADDRESS_REFUSED';

/** The abort reason of a delivery round stopped because the process is stopping. */
export const SHUTDOWN = 'shutdown';

/**
 * Posts a JSON body to a webhook URL. Every address the host name resolves to is
 * checked in the connection's own lookup, so the socket only ever connects to an
 * address that passed (a DNS answer that changes between a check and the connection,
 * DNS rebinding, gains nothing); an IP literal is checked before anything is sent.
 * Redirects are not followed. Bounded by `timeoutMs` and by `signal` (the round's bound).
 */
export function postWebhook(
  url: URL,
  body: string,
  options: {
    allowPrivateNetworks: boolean;
    timeoutMs: number;
    signal: AbortSignal;
  },
): Promise<PostOutcome> {
  const host = bareHost(url.hostname);
  if (isIP(host) && refusedAddress(host, options.allowPrivateNetworks)) return Promise.resolve({ ok: false, error: 'refused address' });
  if (options.signal.aborted) return Promise.resolve({ ok: false, error: 'timeout' });
  return new Promise((resolve) => {
    let settled = false;
    let request: http.ClientRequest | undefined;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      request?.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, error: 'timeout' }), options.timeoutMs);
    // The round's bound ends a post as a timeout; a shutdown (reason SHUTDOWN) as aborted.
    const onAbort = () => finish({ ok: false, error: options.signal.reason === SHUTDOWN ? 'aborted' : 'timeout' });
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      request = (url.protocol === 'https:' ? https : http).request({
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'gitfleet',
          'content-length': Buffer.byteLength(body),
        },
        // A fresh connection each time: a pooled socket would skip the address check.
        agent: false,
        lookup: guardedLookup(options.allowPrivateNetworks),
      });
    } catch (error) {
      finish({ ok: false, error: categorize(error as NodeJS.ErrnoException) });
      return;
    }
    request.on('response', (response) => {
      const status = response.statusCode;
      response.resume();
      if (status === undefined || !Number.isInteger(status) || status < 100 || status > 599) finish({ ok: false, error: 'bad response' });
      else if (status >= 200 && status < 300) finish({ ok: true, status });
      else if (status >= 300 && status < 400) finish({ ok: false, status, error: 'redirect' });
      else finish({ ok: false, status, error: `HTTP ${status}` });
    });
    request.on('error', (error) => finish({ ok: false, error: categorize(error as NodeJS.ErrnoException) }));
    request.end(body);
  });
}

/** A dns.lookup that fails unless every address the name resolves to may be contacted. */
export function guardedLookup(allowPrivateNetworks: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((a) => refusedAddress(a.address, allowPrivateNetworks));
      if (refused || addresses.length === 0) {
        const denied = Object.assign(new Error(`address refused for ${hostname}`), { code: ADDRESS_REFUSED });
        return callback(denied, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function categorize(error: NodeJS.ErrnoException): PostFailure {
  const code = error.code ?? '';
  if (code === ADDRESS_REFUSED) return 'refused address';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA') return 'dns';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ABORT_ERR') return 'aborted';
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/.test(code)) return 'tls';
  return 'network';
}
