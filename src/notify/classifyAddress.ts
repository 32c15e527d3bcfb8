import { isIPv4, isIPv6 } from 'node:net';

/** What kind of network an IP address is on, for deciding whether a webhook may reach it. */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'multicast' | 'unspecified' | 'reserved';

/** Classes a machine's config can open with notify.allowPrivateNetworks; the rest never make sense for a webhook. */
const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback', 'private', 'link-local', 'unique-local']);

export function isAllowedAddress(kind: AddressClass, allowPrivateNetworks: boolean): boolean {
  return kind === 'public' || (allowPrivateNetworks && PRIVATE_CLASSES.has(kind));
}

// [first address, prefix length, class], IPv4 as 32-bit numbers. Sources: RFC 6890 and
// the IANA special-purpose registries; anything not listed is public.
const V4: [number, number, AddressClass][] = [
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'private'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.0.2.0'), 24, 'reserved'],
  [v4('192.88.99.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('198.51.100.0'), 24, 'reserved'],
  [v4('203.0.113.0'), 24, 'reserved'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

/**
 * Classifies an IP address in canonical text form (what DNS or the WHATWG URL parser
 * returns; "[...]" brackets are accepted). IPv6 forms that carry an IPv4 address (mapped
 * ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged
 * by that address, so ::ffff:127.0.0.1 is loopback. Anything that is not an IP is
 * "reserved": never a destination.
 */
export function classifyAddress(address: string): AddressClass {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(text)) return classifyV4(v4(text));
  // A zone id (fe80::1%eth0) names an interface: link-local by definition.
  if (text.includes('%')) return 'link-local';
  if (!isIPv6(text)) return 'reserved';
  return classifyV6(v6Groups(text));
}

function classifyV4(n: number): AddressClass {
  for (const [base, bits, kind] of V4) if (bits === 0 || n >>> (32 - bits) === base >>> (32 - bits)) return kind;
  return 'public';
}

function classifyV6(g: number[]): AddressClass {
  const embedded = () => classifyV4(((g[6]! << 16) | g[7]!) >>> 0);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && g[7] === 1) return 'loopback';
  if (zeros(0, 5) && g[5] === 0xffff) return embedded(); // ::ffff:a.b.c.d, mapped
  if (zeros(0, 6)) return embedded(); // ::a.b.c.d, the deprecated "compatible" form
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return embedded(); // ::ffff:0:a.b.c.d, translated
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return embedded(); // NAT64 well-known prefix
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private'; // NAT64 local use
  if (g[0] === 0x2002) return classifyV4(((g[1]! << 16) | g[2]!) >>> 0); // 6to4
  if (g[0] === 0x2001 && g[1]! < 0x200) return 'reserved'; // Teredo and IETF protocol assignments
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'reserved'; // documentation
  if (g[0] === 0x100 && zeros(1, 4)) return 'reserved'; // discard
  if ((g[0]! & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private'; // site-local, deprecated
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

function v4(text: string): number {
  return text.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}

/** Eight 16-bit groups of a valid IPv6 address (checked by isIPv6 first). */
function v6Groups(text: string): number[] {
  let body = text;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (dotted) {
    const n = v4(dotted[1]!);
    tail.push(n >>> 16, n & 0xffff);
    body = body.slice(0, -dotted[1]!.length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const [head, rest] = body.includes('::') ? body.split('::') : [body, undefined];
  const parse = (s: string | undefined) =>
    s
      ? s
          .split(':')
          .filter((x) => x !== '')
          .map((x) => parseInt(x, 16))
      : [];
  const left = parse(head);
  const right = [...parse(rest), ...tail];
  if (rest === undefined) return [...left, ...right];
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
