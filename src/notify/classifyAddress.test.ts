import { describe, expect, it } from 'vitest';
import { classifyAddress, isAllowedAddress } from './classifyAddress.js';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:a9fe:a9fe]', 'link-local'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:0808:0808::1', 'public'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001:0::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['1:2:3:4:5:6:7:8', 'public'],
    ['localhost', 'reserved'],
    ['0x7f000001', 'reserved'],
    ['2130706433', 'reserved'],
    ['', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('opens only loopback, private, link-local and unique-local with allowPrivateNetworks', () => {
    expect(isAllowedAddress('public', false)).toBe(true);
    for (const kind of ['loopback', 'private', 'link-local', 'unique-local'] as const) {
      expect(isAllowedAddress(kind, false)).toBe(false);
      expect(isAllowedAddress(kind, true)).toBe(true);
    }
    for (const kind of ['multicast', 'unspecified', 'reserved'] as const) expect(isAllowedAddress(kind, true)).toBe(false);
  });
});
