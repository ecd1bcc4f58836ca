import { ipv4MappedProblem, isIpAllowed, parseCidr } from '../../lambdas/domain/ipAllowlist.js';

const problemOf = (cidr: string) => {
  const parsed = parseCidr(cidr);
  if (!parsed) throw new Error(`${cidr} does not parse`);
  return ipv4MappedProblem(cidr, parsed);
};

describe('IP allowlists', () => {
  it('admit any address when empty', () => {
    expect(isIpAllowed('203.0.113.9', [])).toBe(true);
  });

  it.each([
    ['203.0.113.9', ['203.0.113.0/24'], true],
    ['203.0.114.9', ['203.0.113.0/24'], false],
    ['198.51.100.7', ['198.51.100.7/32'], true],
    ['198.51.100.8', ['198.51.100.7/32'], false],
    ['2001:db8::1', ['2001:db8::/32'], true],
    ['2001:db9::1', ['2001:db8::/32'], false],
    ['::ffff:203.0.113.9', ['203.0.113.0/24'], true],
    ['::FFFF:203.0.114.9', ['203.0.113.0/24'], false],
    ['203.0.113.9', ['2001:db8::/32'], false],
    ['not-an-ip', ['0.0.0.0/0'], false],
    ['10.1.2.3', ['0.0.0.0/0'], true],
  ])('judge %s against %j as %s', (ip, cidrs, allowed) => {
    expect(isIpAllowed(ip, cidrs)).toBe(allowed);
  });

  it.each(['10.0.0.0/33', '10.0.0/8', '2001:db8::/129', 'example.com/8', '10.0.0.0', ''])(
    'refuse the CIDR %p',
    (cidr) => {
      expect(parseCidr(cidr)).toBeUndefined();
    },
  );

  it.each(['::/0', '::/64', '::/80', '0:0:0:0:0:ffff::/96', '::ffff:0.0.0.0/96'])(
    'refuse %s as an entry: it covers every IPv4-mapped address, so every IPv4 caller',
    (cidr) => {
      expect(isIpAllowed('203.0.113.9', [cidr])).toBe(true);
      expect(problemOf(cidr)).toMatch(/covers ::ffff:0:0\/96, the IPv4-mapped IPv6 addresses/);
    },
  );

  it('refuse an IPv4-mapped range, naming the IPv4 CIDR to write instead', () => {
    expect(problemOf('::ffff:cb00:7100/120')).toBe(
      '::ffff:cb00:7100/120 is a range of IPv4-mapped IPv6 addresses: write it as the IPv4 CIDR 203.0.113.0/24',
    );
  });

  it.each(['::/96', '::1/128', '2001:db8::/32', '64:ff9b::/96', '203.0.113.0/24', '0.0.0.0/0'])(
    'accept %s as an entry',
    (cidr) => {
      expect(problemOf(cidr)).toBeUndefined();
    },
  );
});
