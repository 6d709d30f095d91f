import { BlockList, isIP } from 'node:net';

/**
 * Which IP addresses a camera may never be at. The policy is deliberately narrow — loopback
 * (test cameras, a local RTSP relay) and private LAN ranges are where cameras live and stay
 * allowed — and blocks what is never a camera but is a classic SSRF target: link-local (the cloud
 * metadata service at 169.254.169.254), cloud metadata addresses outside it, "this host"
 * (0.0.0.0, ::), multicast, reserved and broadcast.
 *
 * Every blocked IPv4 range is also blocked in each IPv6 form that reaches it: IPv4-mapped
 * (::ffff:a.b.c.d, which the URL parser prints as ::ffff:a9fe:a9fe), IPv4-compatible (::a.b.c.d),
 * IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 * Teredo (2001::/32) and local-use NAT64 (64:ff9b:1::/48) hide where the embedded IPv4 address
 * sits, so they are refused whole. node:net's BlockList does the matching on parsed addresses, so
 * any spelling of an address (compressed, upper case, dotted tail) is the same address.
 */
interface BlockedRange {
  /** Shown to the user: "…, a link-local address (…), which is never a camera". */
  what: string;
  ipv4: Array<[string, number]>;
  ipv6: Array<[string, number]>;
}

const RANGES: readonly BlockedRange[] = [
  { what: 'a link-local address (169.254.0.0/16, fe80::/10: the cloud metadata service lives there)', ipv4: [['169.254.0.0', 16]], ipv6: [['fe80::', 10]] },
  { what: 'a cloud metadata service address (100.100.100.200, fd00:ec2::254)', ipv4: [['100.100.100.200', 32]], ipv6: [['fd00:ec2::254', 128]] },
  { what: 'an unspecified ("this host") address (0.0.0.0/8, ::); use 127.0.0.1 for this machine', ipv4: [['0.0.0.0', 8]], ipv6: [['::', 128]] },
  { what: 'a multicast address (224.0.0.0/4, ff00::/8)', ipv4: [['224.0.0.0', 4]], ipv6: [['ff00::', 8]] },
  { what: 'a reserved or broadcast address (240.0.0.0/4, 255.255.255.255)', ipv4: [['240.0.0.0', 4]], ipv6: [] },
  { what: 'a Teredo tunnel address (2001::/32), which hides the IPv4 address it reaches', ipv4: [], ipv6: [['2001::', 32]] },
  { what: 'a local-use NAT64 address (64:ff9b:1::/48), which hides the IPv4 address it reaches', ipv4: [], ipv6: [['64:ff9b:1::', 48]] },
];

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function hex16(n: number): string {
  return (n & 0xffff).toString(16);
}

/** The IPv6 prefixes that embed an IPv4 subnet: [prefix for a.b.c.d, extra prefix bits]. */
function embeddings(ipv4: string, bits: number): Array<[string, number]> {
  const n = ipv4ToInt(ipv4);
  const [hi, lo] = [hex16(Math.floor(n / 0x10000)), hex16(n)];
  return [
    [`::ffff:${hi}:${lo}`, 96 + bits], // IPv4-mapped
    [`::${hi}:${lo}`, 96 + bits], // IPv4-compatible (deprecated, still routed by some stacks)
    [`::ffff:0:${hi}:${lo}`, 96 + bits], // IPv4-translated (SIIT)
    [`64:ff9b::${hi}:${lo}`, 96 + bits], // NAT64 well-known prefix
    [`2002:${hi}:${lo}::`, 16 + bits], // 6to4
  ];
}

const LISTS = RANGES.map((range) => {
  const list = new BlockList();
  for (const [ip, bits] of range.ipv4) {
    list.addSubnet(ip, bits, 'ipv4');
    for (const [prefix, prefixBits] of embeddings(ip, bits)) list.addSubnet(prefix, prefixBits, 'ipv6');
  }
  for (const [ip, bits] of range.ipv6) list.addSubnet(ip, bits, 'ipv6');
  return { what: range.what, list };
});

/**
 * Why `ip` may not be a camera's address, or null when it may. `ip` is an IP literal (no
 * brackets; a zone id such as `%eth0` is ignored). Loopback ::1 stays allowed although
 * IPv4-compatible space (::/96) would otherwise cover it.
 */
export function blockedAddressReason(ip: string): string | null {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return `${ip} is not an IP address`;
  if (family === 6 && isLoopbackV6(bare)) return null;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { what, list } of LISTS) {
    if (list.check(bare, type)) return what;
  }
  return null;
}

const LOOPBACK_V6 = new BlockList();
LOOPBACK_V6.addAddress('::1', 'ipv6');

function isLoopbackV6(ip: string): boolean {
  return LOOPBACK_V6.check(ip, 'ipv6');
}
