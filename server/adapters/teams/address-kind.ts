/**
 * What kind of network address an IP literal is, so the webhook client can refuse to post anywhere but the
 * public internet (a webhook URL must not reach this host, the LAN or the cloud's metadata service).
 * Pure: parses the text itself, no lookups.
 */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'shared'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'invalid';

/** Non-public IPv4 blocks (IANA special-purpose registry), first match wins. */
const IPV4_BLOCKS: readonly [string, number, AddressKind][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

export function addressKind(address: string): AddressKind {
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return ipv4Kind(v4);
  const v6 = parseIpv6(address);
  return v6 === undefined ? 'invalid' : ipv6Kind(v6);
}

export const isPublicAddress = (address: string): boolean => addressKind(address) === 'public';

function ipv4Kind(value: number): AddressKind {
  for (const [base, bits, kind] of IPV4_BLOCKS) {
    if (value >>> (32 - bits) === parseIpv4(base)! >>> (32 - bits)) return kind;
  }
  return 'public';
}

/** Eight 16-bit groups. Only global unicast (2000::/3) is public; IPv4 carried inside IPv6 is judged as IPv4. */
function ipv6Kind(groups: readonly number[]): AddressKind {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const embedded = (hi: number, lo: number) => ipv4Kind(((hi << 16) | lo) >>> 0);
  const zeroUpTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g7 === 1) return 'loopback';
  if (zeroUpTo(5) && g5 === 0xffff) return embedded(g6, g7); // IPv4-mapped ::ffff:a.b.c.d
  if (zeroUpTo(6)) return 'reserved'; // IPv4-compatible ::a.b.c.d (deprecated)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return embedded(g6, g7); // NAT64
  if (g0 === 0x2002) return embedded(g1, g2); // 6to4
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if ((g0 & 0xe000) !== 0x2000) return 'reserved';
  if (g0 === 0x2001 && g1 === 0) return 'reserved'; // Teredo: the real peer is behind a relay
  if (g0 === 0x2001 && g1 === 0xdb8) return 'reserved'; // documentation
  if (g0 === 0x2001 && g1 < 0x200) return 'reserved'; // IETF protocol assignments
  return 'public';
}

/** Dotted quad, four decimal parts 0–255 without leading zeros (an octal-looking "010" is not guessed at). */
function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function parseIpv6(text: string): number[] | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%[^%]+$/, ''); // brackets of a URL host, a zone id
  if (!/^[0-9a-f:.]+$/i.test(bare) || bare.split('::').length > 2) return undefined;
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, undefined];
  /** The groups of one side of "::"; only the address's last side may end in a dotted quad. */
  const groupsOf = (part: string | undefined, last: boolean): number[] | undefined => {
    if (!part) return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (last && i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) out.push(parseInt(piece, 16));
      else return undefined;
    }
    return out;
  };
  const first = groupsOf(head, tail === undefined);
  const last = groupsOf(tail, true);
  if (!first || !last) return undefined;
  if (tail === undefined) return first.length === 8 ? first : undefined;
  const missing = 8 - first.length - last.length;
  return missing >= 1 ? [...first, ...Array<number>(missing).fill(0), ...last] : undefined;
}
