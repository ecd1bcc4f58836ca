import { isIpAllowed, parseCidr } from '../../lambdas/domain/ipAllowlist.js';

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
});
