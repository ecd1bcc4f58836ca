import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a webhook may be sent to. A reseller names the URL, so without this rule it could
 * make us call our own metadata service (169.254.169.254), a VPC neighbour or a loopback port.
 *
 * - `public` (AWS): `https://` only, and only publicly routable unicast addresses: never private,
 *   loopback, link-local, multicast, unspecified, documentation, benchmarking or otherwise reserved
 *   ranges (IANA's special-purpose registries), IPv4 or IPv6, whatever the spelling.
 * - `local` (a laptop): also `http://`, and loopback (127.0.0.0/8, ::1, `localhost`), so a receiver
 *   on the same machine works; link-local and metadata addresses stay refused.
 */
export type OutboundPolicy = 'public' | 'local';
export const outboundPolicies = ['public', 'local'] as const;

const refusedIPv4: readonly (readonly [string, number, string])[] = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared address space (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/** Inside 2000::/3, the only global unicast space, these are still special-purpose. */
const refusedIPv6: readonly (readonly [string, number, string])[] = [
  ['2001::', 23, 'IETF protocol assignments (Teredo and others)'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['3fff::', 20, 'documentation'],
];

const loopbacks: readonly (readonly [string, number, 'ipv4' | 'ipv6'])[] = [
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
];

const listOf = (entries: readonly (readonly [string, number, string])[], family: 'ipv4' | 'ipv6') =>
  entries.map(([network, prefix, reason]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    return { list, reason };
  });

const buildRules = () => {
  const globalUnicast = new BlockList();
  globalUnicast.addSubnet('2000::', 3, 'ipv6');
  const loopback = new BlockList();
  for (const [network, prefix, family] of loopbacks) loopback.addSubnet(network, prefix, family);
  return { ipv4: listOf(refusedIPv4, 'ipv4'), ipv6: listOf(refusedIPv6, 'ipv6'), globalUnicast, loopback };
};
/**
 * Built when first asked, not at import: the lists are native objects, ~1 ms to build, and only the
 * webhook sender asks (the config of every function imports this module for `outboundPolicies`).
 */
let rules: ReturnType<typeof buildRules> | undefined;

/**
 * @param address an IP address as DNS or a URL gives it
 * @returns why it is refused under `policy`, or undefined when a webhook may go there
 */
export const refusedAddressReason = (address: string, policy: OutboundPolicy): string | undefined => {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  rules ??= buildRules();
  if (policy === 'local' && rules.loopback.check(address, family === 4 ? 'ipv4' : 'ipv6')) return undefined;
  if (family === 4) return rules.ipv4.find(({ list }) => list.check(address, 'ipv4'))?.reason;
  // Everything outside 2000::/3 is loopback, unspecified, IPv4-mapped or -compatible, NAT64,
  // discard, unique local (AWS's fd00:ec2::254 metadata too), link-local, site-local or multicast.
  if (!rules.globalUnicast.check(address, 'ipv6')) return 'not global unicast IPv6';
  return rules.ipv6.find(({ list }) => list.check(address, 'ipv6'))?.reason;
};

/** A URL's host as an IP address when it is one (`[::1]` → `::1`), else undefined. */
export const ipLiteralOf = (hostname: string): string | undefined => {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? undefined : bare;
};
