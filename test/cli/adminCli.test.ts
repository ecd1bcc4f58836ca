import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin, type CliResult } from '../support/adminCli.js';
import { createRedeemedCall, itemsOfTenant, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';

const table = testTable();
// Every CLI call is a fresh Node process, and a test makes several: on a busy machine that is tens
// of seconds.
jest.setTimeout(180_000);
let api: TestApi;
beforeAll(async () => {
  // Listening on both stacks, so a test can call from an IPv6 address too.
  api = await startTestApi({ host: '::' });
});
afterAll(() => api.close());

const rep = { externalUserId: 'rep_1' };
const ok = (result: CliResult) => {
  expect([result.code, result.stderr]).toEqual([0, '']);
  return result.json;
};
const failsWith = (result: CliResult, message: string) => {
  expect(result.code).not.toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toEqual([`athos-admin: ${message}`]);
};
const newTenant = async (...options: string[]) =>
  ok(await admin(['tenant', 'create', '--name', 'CLI Reseller', ...options]));
const newKey = async (tenantId: string) =>
  ok(await admin(['key', 'create', '--tenant', tenantId, '--label', 'servers']));

describe('athos-admin', () => {
  it('onboards a reseller whose key then mints', async () => {
    const tenant = await newTenant();
    const key = await newKey(tenant.tenantId);

    expect(tenant).toMatchObject({
      tenantId: expect.stringMatching(/^tnt_/),
      status: 'active',
      monthlySessionQuota: null,
      allowedCidrs: [],
    });
    expect(key).toMatchObject({ keyId: expect.stringMatching(/^key_/), apiKey: expect.stringMatching(/^ath_live_/) });
    expect((await api.mint(key.apiKey, rep)).status).toBe(200);
  });

  it('never stores or lists a key in clear', async () => {
    const tenant = await newTenant();
    const { apiKey } = await newKey(tenant.tenantId);

    const listed = ok(await admin(['key', 'list', '--tenant', tenant.tenantId]));

    expect(JSON.stringify(listed)).not.toContain(apiKey.slice(9));
    expect(listed.keys[0]).toMatchObject({
      label: 'servers',
      status: 'active',
      displayPrefix: expect.stringMatching(/^ath_live_.+…/),
    });
    expect(listed.keys[0].keyHash).toBeUndefined();
    expect(JSON.stringify(await itemsOfTenant(table, tenant.tenantId))).not.toContain(apiKey);
  });

  it('revokes a key: it answers API_KEY_REVOKED', async () => {
    const tenant = await newTenant();
    const key = await newKey(tenant.tenantId);

    ok(await admin(['key', 'revoke', '--key', key.keyId]));

    expect((await api.mint(key.apiKey, rep)).body.error.code).toBe('API_KEY_REVOKED');
  });

  it('rotates a key: the old one works during the overlap, and not after it', async () => {
    const tenant = await newTenant();
    const first = await newKey(tenant.tenantId);
    const second = await newKey(tenant.tenantId);

    const during = ok(await admin(['key', 'rotate', '--key', first.keyId, '--overlap', '1h']));
    // The operator's clock two hours back: this overlap ended an hour ago.
    const after = ok(
      await admin(['key', 'rotate', '--key', second.keyId, '--overlap', '1h'], {
        ATHOS_ADMIN_NOW: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      }),
    );

    expect((await api.mint(first.apiKey, rep)).status).toBe(200);
    expect((await api.mint(during.apiKey, rep)).status).toBe(200);
    expect((await api.mint(second.apiKey, rep)).body.error.code).toBe('API_KEY_REVOKED');
    expect((await api.mint(after.apiKey, rep)).status).toBe(200);
    expect(during.previousKeyId).toBe(first.keyId);
  });

  it('deactivates and reactivates a tenant', async () => {
    const tenant = await newTenant();
    const key = await newKey(tenant.tenantId);

    ok(await admin(['tenant', 'deactivate', '--tenant', tenant.tenantId]));
    expect((await api.mint(key.apiKey, rep)).body.error.code).toBe('TENANT_INACTIVE');
    ok(await admin(['tenant', 'activate', '--tenant', tenant.tenantId]));
    expect((await api.mint(key.apiKey, rep)).status).toBe(200);
  });

  it('locks a tenant to its IPv4 and IPv6 ranges, and clears the lock', async () => {
    const tenant = await newTenant('--allow-ip', '127.0.0.2/32', '--allow-ip', '::1/128');
    const key = await newKey(tenant.tenantId);

    expect((await api.mint(key.apiKey, rep, { localAddress: '127.0.0.1' })).body.error?.code).toBe('IP_NOT_ALLOWED');
    expect((await api.mint(key.apiKey, rep, { localAddress: '127.0.0.2' })).status).toBe(200);
    expect((await api.mint(key.apiKey, rep, { localAddress: '::1' })).status).toBe(200);

    ok(await admin(['tenant', 'update', '--tenant', tenant.tenantId, '--allow-ip', '2001:db8::/32']));
    expect((await api.mint(key.apiKey, rep, { localAddress: '::1' })).body.error?.code).toBe('IP_NOT_ALLOWED');
    expect((await api.mint(key.apiKey, rep, { localAddress: '127.0.0.2' })).body.error?.code).toBe('IP_NOT_ALLOWED');

    ok(await admin(['tenant', 'update', '--tenant', tenant.tenantId, '--clear-allowlist']));
    expect((await api.mint(key.apiKey, rep, { localAddress: '127.0.0.1' })).status).toBe(200);
  });

  it('lowers a quota: mints past it get TENANT_QUOTA_EXCEEDED, and usage shows the count', async () => {
    const tenant = await newTenant('--quota', '10');
    const key = await newKey(tenant.tenantId);
    expect((await api.mint(key.apiKey, rep)).status).toBe(200);
    expect((await api.mint(key.apiKey, rep)).status).toBe(200);

    ok(await admin(['tenant', 'update', '--tenant', tenant.tenantId, '--quota', '2']));

    expect((await api.mint(key.apiKey, rep)).body.error.code).toBe('TENANT_QUOTA_EXCEEDED');
    expect(ok(await admin(['usage', '--tenant', tenant.tenantId]))).toMatchObject({
      sessionsMinted: 2,
      monthlySessionQuota: 2,
      remaining: 0,
    });
  });

  it('completes a redeemed call, which then shows in the list and the detail', async () => {
    const tenant = await newTenant();
    const key = await newKey(tenant.tenantId);
    const callId = await createRedeemedCall(table, tenant.tenantId);

    const completed = ok(
      await admin(['call', 'complete', '--call', callId, '--ended-at', '2026-06-05T18:05:00Z', '--duration', '7m']),
    );

    expect(completed).toMatchObject({ callId, status: 'scored', durationSec: 420 });
    const listed = await api.list(key.apiKey, { from: '2026-06-01T00:00:00Z' });
    expect(listed.body.data.map((row: { id: string }) => row.id)).toEqual([callId]);
    const detail = await api.get(key.apiKey, callId);
    expect(detail.body).toMatchObject({
      id: callId,
      endedAt: '2026-06-05T18:05:00.000Z',
      durationSec: 420,
      transcript: expect.any(Array),
    });
  });

  it('completes a call with a transcript and score from files', async () => {
    const tenant = await newTenant();
    const callId = await createRedeemedCall(table, tenant.tenantId);
    const folder = mkdtempSync(join(tmpdir(), 'athos-cli-'));
    writeFileSync(join(folder, 'transcript.json'), JSON.stringify([{ role: 'agent', content: 'Hello' }]));
    writeFileSync(
      join(folder, 'score.json'),
      JSON.stringify({ overallScore: 91, summary: 'Strong.', feedback: 'Keep going.' }),
    );

    const completed = ok(
      await admin([
        'call',
        'complete',
        '--call',
        callId,
        '--transcript',
        join(folder, 'transcript.json'),
        '--score',
        join(folder, 'score.json'),
      ]),
    );

    expect(completed.overallScore).toBe(91);
  });

  it('seeds calls that a reseller pages through, every one exactly once', async () => {
    const tenant = await newTenant();
    const key = await newKey(tenant.tenantId);

    expect(ok(await admin(['calls', 'seed', '--tenant', tenant.tenantId, '--count', '230']))).toMatchObject({
      count: 230,
    });

    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await api.list(key.apiKey, {
        from: '2020-01-01T00:00:00Z',
        limit: '100',
        ...(cursor ? { cursor } : {}),
      });
      for (const row of page.body.data) ids.add(row.id);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids.size).toBe(230);
  });

  it('records who changed what, and shows it with the tenant', async () => {
    const tenant = await newTenant();
    const key = await newKey(tenant.tenantId);
    ok(await admin(['key', 'revoke', '--key', key.keyId]));

    const shown = ok(await admin(['tenant', 'show', '--tenant', tenant.tenantId]));

    expect(shown.audit.map((entry: { action: string; actor: string }) => [entry.action, entry.actor])).toEqual([
      ['key.revoke', 'test-operator'],
      ['key.create', 'test-operator'],
      ['tenant.create', 'test-operator'],
    ]);
  });

  it('lists tenants', async () => {
    const tenant = await newTenant();
    const listed = ok(await admin(['tenant', 'list']));
    expect(listed.tenants.map((entry: { tenantId: string }) => entry.tenantId)).toContain(tenant.tenantId);
  });

  describe('signing keys, piped in as stored in their secret', () => {
    const keySet = JSON.stringify({
      kid: 'k2',
      key: 'ticket-key-two-0123456789-0123456789-abcdef',
      previous: [{ kid: 'k1', key: 'ticket-key-one-0123456789-0123456789-abcdef' }],
    });

    it('publishes only the public keys of a connection-ticket key set, by kid', async () => {
      const jwks = ok(await admin(['signing-keys', 'jwks'], {}, { stdin: keySet }));

      expect(jwks).toEqual({
        keys: [
          { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: 'k2', use: 'sig', alg: 'EdDSA' },
          { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: 'k1', use: 'sig', alg: 'EdDSA' },
        ],
      });
      expect(JSON.stringify(jwks)).not.toContain('ticket-key');
    });

    it('checks a key set before it is stored', async () => {
      expect(ok(await admin(['signing-keys', 'check'], {}, { stdin: keySet }))).toEqual({
        kid: 'k2',
        previous: ['k1'],
      });
    });

    it.each([
      [
        'a repeated kid',
        { kid: 'k1', key: 'k'.repeat(40), previous: [{ kid: 'k1', key: 'j'.repeat(40) }] },
        'the key set on stdin: kid "k1" is used by more than one key; give each key its own kid',
      ],
      [
        'a dotted kid',
        { kid: 'v1.2', key: 'k'.repeat(40) },
        `the key set on stdin: kid "v1.2" contains '.', which separates the kid from the rest of a cursor; use letters, digits, '-' and '_'`,
      ],
      [
        'a short key',
        { kid: 'k1', key: 'short' },
        'the key set on stdin is not a key set: expected {"kid","key"(≥32 chars),"previous"?}',
      ],
    ])('refuses a key set with %s, naming the problem and never the key', async (_case, value, message) => {
      failsWith(await admin(['signing-keys', 'check'], {}, { stdin: JSON.stringify(value) }), message);
    });
  });

  describe('refusals, which write nothing', () => {
    it.each([
      [['--quota', '0'], 'quota must be a whole number above 0'],
      [['--quota=-3'], 'quota must be a whole number above 0'],
      [['--quota', 'lots'], '--quota must be a whole number'],
      [['--allow-ip', '10.0.0.0/33'], 'not an IPv4 or IPv6 CIDR: 10.0.0.0/33'],
      [['--allow-ip', '2001:db8::/129'], 'not an IPv4 or IPv6 CIDR: 2001:db8::/129'],
      [
        ['--allow-ip', '::/0'],
        '::/0 covers ::ffff:0:0/96, the IPv4-mapped IPv6 addresses, so it would admit every IPv4 caller: ' +
          'list your IPv6 networks by their own prefixes (such as 2001:db8:1::/48) and your IPv4 ranges as IPv4 CIDRs',
      ],
      [
        ['--allow-ip', '203.0.113.0/24', '--allow-ip', '::/64'],
        '::/64 covers ::ffff:0:0/96, the IPv4-mapped IPv6 addresses, so it would admit every IPv4 caller: ' +
          'list your IPv6 networks by their own prefixes (such as 2001:db8:1::/48) and your IPv4 ranges as IPv4 CIDRs',
      ],
      [
        ['--allow-ip', '::ffff:203.0.113.0/120'],
        '::ffff:203.0.113.0/120 is a range of IPv4-mapped IPv6 addresses: write it as the IPv4 CIDR 203.0.113.0/24',
      ],
    ])('refuses a tenant update with %j', async (options, message) => {
      const tenant = await newTenant();
      const before = await itemsOfTenant(table, tenant.tenantId);

      failsWith(await admin(['tenant', 'update', '--tenant', tenant.tenantId, ...options]), message);

      expect(await itemsOfTenant(table, tenant.tenantId)).toEqual(before);
    });

    it.each([
      [['tenant', 'show', '--tenant', 'tnt_0000000000000000'], 'no tenant has the id tnt_0000000000000000'],
      [['key', 'create', '--tenant', 'tnt_0000000000000000'], 'no tenant has the id tnt_0000000000000000'],
      [
        ['tenant', 'update', '--tenant', 'tnt_0000000000000000', '--quota', '5'],
        'no tenant has the id tnt_0000000000000000',
      ],
      [['tenant', 'deactivate', '--tenant', 'tnt_0000000000000000'], 'no tenant has the id tnt_0000000000000000'],
      [
        ['key', 'revoke', '--key', 'key_0000000000000000_0000000000'],
        'no API key has the id key_0000000000000000_0000000000',
      ],
      [['call', 'complete', '--call', 'athos_call_GZ1DjOkZv_VEPoE-CJ8mp'], 'No redeemed, unscored call has this id'],
      [['tenant', 'create'], '--name is required'],
      [
        ['tenant', 'create', '--name', 'x', '--allow-ip', '::/0'],
        '::/0 covers ::ffff:0:0/96, the IPv4-mapped IPv6 addresses, so it would admit every IPv4 caller: ' +
          'list your IPv6 networks by their own prefixes (such as 2001:db8:1::/48) and your IPv4 ranges as IPv4 CIDRs',
      ],
      [['tenant', 'create', '--name', 'x', '--key', 'y'], "'tenant create' takes no --key (see --help)"],
      [
        ['key', 'rotate', '--key', 'key_0000000000000000_0000000000', '--overlap', 'soon'],
        '--overlap must be a duration such as 30m, 24h or 7d',
      ],
      [['tenant', 'explode'], "unknown command 'tenant explode' (see --help)"],
    ])('refuses %j with one line', async (args, message) => {
      failsWith(await admin(args), message);
    });

    it('writes no audit record for a change to a tenant that does not exist', async () => {
      failsWith(
        await admin(['tenant', 'activate', '--tenant', 'tnt_0000000000000001']),
        'no tenant has the id tnt_0000000000000001',
      );
      expect(await itemsOfTenant(table, 'tnt_0000000000000001')).toEqual([]);
    });

    it('refuses a transcript file that does not match the schema, and leaves the call unscored', async () => {
      const tenant = await newTenant();
      const callId = await createRedeemedCall(table, tenant.tenantId);
      const folder = mkdtempSync(join(tmpdir(), 'athos-cli-'));
      writeFileSync(join(folder, 'transcript.json'), JSON.stringify([{ speaker: 'agent' }]));
      const before = await itemsOfTenant(table, tenant.tenantId);

      failsWith(
        await admin(['call', 'complete', '--call', callId, '--transcript', join(folder, 'transcript.json')]),
        'Scored call report is invalid: check transcript.0.role, transcript.0.content',
      );

      expect(await itemsOfTenant(table, tenant.tenantId)).toEqual(before);
    });

    it('folds a parser complaint into one line', async () => {
      const result = await admin(['tenant', 'update', '--tenant', 'tnt_0000000000000000', '--quota', '-3']);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('says plainly when it cannot reach DynamoDB', async () => {
      const result = await new Promise<CliResult>((resolve) => {
        import('node:child_process').then(({ execFile }) =>
          execFile(
            process.execPath,
            ['bin/athos-admin.js', 'tenant', 'list', '--endpoint', 'http://127.0.0.1:9'],
            (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr, json: undefined }),
          ),
        );
      });
      failsWith(result, 'cannot reach DynamoDB Local at http://127.0.0.1:9. Is `npm start` running?');
    });
  });
});
