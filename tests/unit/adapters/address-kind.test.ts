import { describe, expect, it } from 'vitest';
import { addressKind, isPublicAddress } from '../../../server/adapters/teams/address-kind.js';

describe('addressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.10.20', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.254', 'shared'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378::1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['fec0::1', 'reserved'],
    ['100::1', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
    expect(isPublicAddress(address)).toBe(false);
  });

  it('judges IPv4 carried in IPv6 (mapped, NAT64, 6to4) as the IPv4 address', () => {
    expect(addressKind('::ffff:127.0.0.1')).toBe('loopback');
    expect(addressKind('::ffff:7f00:1')).toBe('loopback');
    expect(addressKind('::ffff:169.254.169.254')).toBe('link-local');
    expect(addressKind('::ffff:a00:7')).toBe('private');
    expect(addressKind('64:ff9b::10.0.0.1')).toBe('private');
    expect(addressKind('2002:c0a8:0101::1')).toBe('private');
    expect(addressKind('::ffff:20.50.2.1')).toBe('public');
    expect(addressKind('64:ff9b::8.8.8.8')).toBe('public');
  });

  it.each(['20.50.2.1', '8.8.8.8', '172.32.0.1', '100.128.0.1', '169.253.1.1', '2603:1020:203::10', '2a01:111:f100:3000::a83e:1a01'])('%s is public', (address) => {
    expect(addressKind(address)).toBe('public');
  });

  it.each(['', 'localhost', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1::2::3', '12345::1', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1.2.3.4::', 'g::1'])('%j is not an address', (text) => {
    expect(addressKind(text)).toBe('invalid');
    expect(isPublicAddress(text)).toBe(false);
  });
});
