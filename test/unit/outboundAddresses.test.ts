import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { refusedAddressReason } from '../../lambdas/domain/outboundAddresses.js';
import { createUrlVetter, createWebhookPoster, type Resolve } from '../../lambdas/backoffice/webhooks/outbound.js';

const resolvingTo =
  (...addresses: string[]): Resolve =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('which addresses a webhook may go to', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.192', 'IETF protocol assignments'],
    ['192.0.2.1', 'documentation'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast (reserved)'],
    ['::', 'IPv6 unspecified'],
    ['::1', 'IPv6 loopback'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata, hex'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::a9fe:a9fe', 'IPv4-compatible metadata'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of the metadata address'],
    ['fe80::1', 'IPv6 link-local'],
    ['fd00:ec2::254', "AWS's IPv6 metadata address (unique local)"],
    ['fc00::1', 'unique local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['2001::1', 'Teredo'],
    ['2002:a9fe:a9fe::1', '6to4 of the metadata address'],
  ])('refuses %s (%s) in AWS', (address) => {
    expect(refusedAddressReason(address, 'public')).toEqual(expect.any(String));
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e'])(
    'allows the public address %s',
    (address) => {
      expect(refusedAddressReason(address, 'public')).toBeUndefined();
    },
  );

  it('allows loopback locally, and still refuses metadata, link-local and private addresses there', () => {
    expect(refusedAddressReason('127.0.0.1', 'local')).toBeUndefined();
    expect(refusedAddressReason('::1', 'local')).toBeUndefined();
    for (const address of ['169.254.169.254', '::ffff:169.254.169.254', 'fe80::1', 'fd00:ec2::254', '10.0.0.1']) {
      expect(refusedAddressReason(address, 'local')).toEqual(expect.any(String));
    }
  });
});

describe('registering a webhook URL', () => {
  const publicHost = resolvingTo('93.184.215.14');

  it('accepts an https URL whose host resolves to public addresses only', async () => {
    await expect(createUrlVetter('public', publicHost).vet('https://hooks.example.com/athos')).resolves.toBe(
      'https://hooks.example.com/athos',
    );
  });

  it.each([
    ['http in AWS', 'http://hooks.example.com/'],
    ['another scheme', 'ftp://hooks.example.com/'],
    ['not a URL', 'hooks.example.com'],
    ['credentials in the URL', 'https://user:pass@hooks.example.com/'],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data/'],
    ['a decimal IPv4', 'https://2852039166/'],
    ['an octal IPv4', 'https://0251.0376.0251.0376/'],
    ['a hex IPv4', 'https://0xa9fea9fe/'],
    ['a short IPv4', 'https://127.1/'],
    ['an IPv4-mapped IPv6', 'https://[::ffff:169.254.169.254]/'],
    ['an IPv4-mapped IPv6 in hex', 'https://[::ffff:a9fe:a9fe]/'],
    ['the IPv6 loopback', 'https://[::1]/'],
    ['the IPv6 metadata address', 'https://[fd00:ec2::254]/'],
    ['localhost in AWS', 'https://localhost/'],
    ['a URL too long', `https://hooks.example.com/${'a'.repeat(2_100)}`],
  ])('refuses %s: %s', async (_case, url) => {
    await expect(
      createUrlVetter('public', async (host) =>
        host === 'localhost' ? [{ address: '127.0.0.1', family: 4 }] : publicHost(host),
      ).vet(url),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it.each([
    ['the metadata address', '169.254.169.254'],
    ['a private address', '10.0.0.7'],
    ['loopback', '127.0.0.1'],
    ['an IPv4-mapped metadata address', '::ffff:169.254.169.254'],
  ])('refuses a name that resolves to %s', async (_case, address) => {
    await expect(
      createUrlVetter('public', resolvingTo(address)).vet('https://innocent.example.com/'),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining(address) });
  });

  it('refuses a name when any one of its addresses is refused', async () => {
    await expect(
      createUrlVetter('public', resolvingTo('93.184.215.14', '10.0.0.7')).vet('https://mixed.example.com/'),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('refuses a name that does not resolve', async () => {
    const failing: Resolve = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(createUrlVetter('public', failing).vet('https://nowhere.example/')).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });

  it('accepts http://127.0.0.1 and localhost locally, never the metadata address', async () => {
    const vetter = createUrlVetter('local');
    await expect(vetter.vet('http://127.0.0.1:4000/hooks')).resolves.toBe('http://127.0.0.1:4000/hooks');
    await expect(vetter.vet('http://localhost:4000/hooks')).resolves.toBe('http://localhost:4000/hooks');
    await expect(vetter.vet('http://169.254.169.254/')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(vetter.vet('http://[fe80::1]/')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('sending a webhook', () => {
  const startServer = async (handler: Parameters<typeof createServer>[1]) => {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      handler?.(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      port,
      requests,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  };

  it('refuses at send time a name that now resolves to a refused address, and connects nowhere', async () => {
    const server = await startServer((_request, response) => response.end());
    const poster = createWebhookPoster({ policy: 'local', resolve: resolvingTo('169.254.169.254') });
    try {
      const result = await poster.post(`http://rebound.example:${server.port}/`, {}, '{}');
      expect(result).toMatchObject({ errorClass: 'address_refused' });
      expect(server.requests).toHaveLength(0);
    } finally {
      poster.close();
      await server.close();
    }
  });

  it('refuses a literal metadata address at send time', async () => {
    const poster = createWebhookPoster({ policy: 'public' });
    try {
      expect(await poster.post('https://[::ffff:a9fe:a9fe]/', {}, '{}')).toMatchObject({
        errorClass: 'address_refused',
      });
      expect(await poster.post('http://93.184.215.14/', {}, '{}')).toMatchObject({ errorClass: 'address_refused' });
    } finally {
      poster.close();
    }
  });

  it('connects to the very address it checked, though the name resolves elsewhere on a second look', async () => {
    const server = await startServer((_request, response) => response.writeHead(204).end());
    let lookups = 0;
    // A rebinding name: the first answer is allowed, any later one is not (nothing listens there).
    const rebinding: Resolve = async () => [{ address: lookups++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    const poster = createWebhookPoster({ policy: 'local', resolve: rebinding });
    try {
      expect(await poster.post(`http://rebinding.example:${server.port}/`, {}, '{}')).toMatchObject({
        statusCode: 204,
      });
      expect(server.requests).toEqual(['/']);
      expect(lookups).toBe(1);
    } finally {
      poster.close();
      await server.close();
    }
  });

  it('does not follow a redirect', async () => {
    const target = await startServer((_request, response) => response.writeHead(204).end());
    const redirecting = await startServer((_request, response) =>
      response.writeHead(307, { Location: `http://127.0.0.1:${target.port}/` }).end(),
    );
    const poster = createWebhookPoster({ policy: 'local' });
    try {
      expect(await poster.post(`http://127.0.0.1:${redirecting.port}/`, {}, '{}')).toMatchObject({ statusCode: 307 });
      expect(target.requests).toHaveLength(0);
    } finally {
      poster.close();
      await Promise.all([target.close(), redirecting.close()]);
    }
  });

  it('stops reading an answer after 64 KB', async () => {
    let written = 0;
    let closedEarly = false;
    const server = await startServer((_request, response) => {
      response.writeHead(200);
      response.on('close', () => (closedEarly = !response.writableFinished));
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const pump = () => {
        while (written < 50 * 1024 * 1024 && response.write(chunk)) written += chunk.length;
        if (written < 50 * 1024 * 1024 && !response.destroyed) response.once('drain', pump);
        else response.end();
      };
      pump();
    });
    const poster = createWebhookPoster({ policy: 'local' });
    try {
      expect(await poster.post(`http://127.0.0.1:${server.port}/`, {}, '{}')).toMatchObject({ statusCode: 200 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closedEarly).toBe(true);
      expect(written).toBeLessThan(50 * 1024 * 1024);
    } finally {
      poster.close();
      await server.close();
    }
  });

  it('gives up on a receiver that does not answer in time, as a timeout', async () => {
    const server = await startServer(() => undefined);
    const poster = createWebhookPoster({ policy: 'local', timeoutMs: 300 });
    try {
      expect(await poster.post(`http://127.0.0.1:${server.port}/`, {}, '{}')).toMatchObject({ errorClass: 'timeout' });
    } finally {
      poster.close();
      await server.close();
    }
  });

  it('reports a refused connection as a connection failure', async () => {
    const server = await startServer(() => undefined);
    const { port } = server;
    await server.close();
    const poster = createWebhookPoster({ policy: 'local' });
    try {
      expect(await poster.post(`http://127.0.0.1:${port}/`, {}, '{}')).toMatchObject({ errorClass: 'connection' });
    } finally {
      poster.close();
    }
  });
});
