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

/** IPv4-mapped IPv6 addresses (RFC 4291): an IPv4 caller is judged as one of these too. */
const ipv4Mapped = { address: '::ffff:0:0', prefix: 96 };

/**
 * Why an IPv6 allowlist entry must not be used, or undefined when it may: a range that covers the
 * IPv4-mapped block would admit every IPv4 caller (`::/0`, `::/64`); a range inside that block is
 * an IPv4 range written the long way, better written as what it is.
 */
export const ipv4MappedProblem = (
  text: string,
  parsed: NonNullable<ReturnType<typeof parseCidr>>,
): string | undefined => {
  if (parsed.family === 'ipv4') return undefined;
  const entry = new BlockList();
  entry.addSubnet(parsed.address, parsed.prefix, 'ipv6');
  if (parsed.prefix <= ipv4Mapped.prefix && entry.check(ipv4Mapped.address, 'ipv6')) {
    return (
      `${text} covers ${ipv4Mapped.address}/${ipv4Mapped.prefix}, the IPv4-mapped IPv6 addresses, so it would admit every IPv4 caller: ` +
      'list your IPv6 networks by their own prefixes (such as 2001:db8:1::/48) and your IPv4 ranges as IPv4 CIDRs'
    );
  }
  const mapped = new BlockList();
  mapped.addSubnet(ipv4Mapped.address, ipv4Mapped.prefix, 'ipv6');
  if (mapped.check(parsed.address, 'ipv6')) {
    return `${text} is a range of IPv4-mapped IPv6 addresses: write it as the IPv4 CIDR ${mappedAsIPv4(parsed.address, parsed.prefix)}`;
  }
  return undefined;
};

/** The IPv4 CIDR an IPv4-mapped IPv6 range stands for. */
const mappedAsIPv4 = (address: string, prefix: number): string => {
  // The URL parser writes any IPv6 form canonically, the IPv4 part as two hexadecimal groups.
  const groups = new URL(`http://[${address}]`).hostname.slice(1, -1).split(':');
  const bits = (parseInt(groups.at(-2) ?? '0', 16) << 16) | parseInt(groups.at(-1) ?? '0', 16);
  const ipv4Prefix = prefix - ipv4Mapped.prefix;
  const network = ipv4Prefix === 0 ? 0 : (bits >>> (32 - ipv4Prefix)) << (32 - ipv4Prefix);
  return `${[24, 16, 8, 0].map((shift) => (network >>> shift) & 255).join('.')}/${ipv4Prefix}`;
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
