import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Whether `sourceIp` falls inside one of `cidrs`. An empty list admits everyone. IPv4-mapped IPv6
 * addresses (`::ffff:192.0.2.1`) are judged as the IPv4 address they carry, so a tenant that lists
 * its IPv4 ranges is not locked out by a dual-stack path.
 */
export const isIpAllowed = (sourceIp: string, cidrs: readonly string[]): boolean => {
  if (cidrs.length === 0) return true;
  const address = unmapIPv4(sourceIp);
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!family) return false;
  return buildBlockList(cidrs).check(address, family);
};

/** @returns the canonical CIDR text, or undefined when `text` is not an IPv4 or IPv6 CIDR. */
export const parseCidr = (text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined => {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const [, address = '', prefixText = ''] = match;
  const prefix = Number(prefixText);
  if (isIPv4(address) && prefix <= 32) return { address, prefix, family: 'ipv4' };
  if (isIPv6(address) && prefix <= 128) return { address, prefix, family: 'ipv6' };
  return undefined;
};

const unmapIPv4 = (ip: string): string => {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped?.[1] ?? ip;
};

const buildBlockList = (cidrs: readonly string[]): BlockList => {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list;
};
