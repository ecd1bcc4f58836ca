import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { CompactEncrypt, SignJWT, base64url } from 'jose';
import { createTestTenant, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';
import { testKeys } from '../support/testSettings.js';

const table = testTable();
let api: TestApi;
let tenantId: string;
let apiKey: string;
let keyId: string;
const secret = new TextEncoder().encode(JSON.parse(testKeys.sessionToken).key as string);
const kid = JSON.parse(testKeys.sessionToken).kid as string;

beforeAll(async () => {
  api = await startTestApi();
  ({
    apiKey,
    keyId,
    tenant: { tenantId },
  } = await createTestTenant(table));
});
afterAll(() => api.close());

const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}) => ({
  jti: `jti-${Math.random().toString(36).slice(2)}-0123456789`,
  iss: 'athos-external-api',
  aud: 'athos-roleplay',
  iat: now(),
  exp: now() + 300,
  tid: tenantId,
  akid: keyId,
  uid: 'rep_1',
  ...overrides,
});
const encode = (part: unknown) => base64url.encode(JSON.stringify(part));
const hs = (
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
  key: Uint8Array = secret,
  alg = 'HS256',
) => new SignJWT(payload).setProtectedHeader({ alg, kid, ...header }).sign(key);
const redeemWith = (token: string) => api.redeem(token, { drillKey: 'ma-full-sale' });

const expect401 = async (token: string, code: 'INVALID_TOKEN' | 'TOKEN_EXPIRED') => {
  const response = await redeemWith(token);
  expect([response.status, response.body.error.code]).toEqual([401, code]);
  expect(response.body.error.requestId).toBe(response.headers['x-athos-request-id']);
};

describe('forged and broken session tokens get 401, never 500', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])('alg %s', async (alg) => {
    await expect401(`${encode({ alg, typ: 'JWT', kid })}.${encode(claims())}.`, 'INVALID_TOKEN');
  });

  it.each(['HS384', 'HS512'])('%s with the right key', async (alg) => {
    await expect401(await hs(claims(), {}, secret, alg), 'INVALID_TOKEN');
  });

  it('RS256 signed by an attacker key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect401(
      await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey),
      'INVALID_TOKEN',
    );
  });

  it('HS256 signed with a public key as the secret (key confusion)', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = new TextEncoder().encode(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    await expect401(await hs(claims(), {}, pem), 'INVALID_TOKEN');
  });

  it('a tampered payload', async () => {
    const [header, , signature] = (await hs(claims())).split('.');
    await expect401(`${header}.${encode(claims({ tid: 'tnt_AAAAAAAAAAAAAAAA' }))}.${signature}`, 'INVALID_TOKEN');
  });

  it.each([
    ['an unknown kid', { kid: 'attacker' }],
    ['an injected kid', { kid: '../../etc/passwd' }],
    ['a jku pointing elsewhere', { jku: 'https://attacker.example/jwks.json', kid: 'attacker' }],
    ['an embedded jwk', { jwk: { kty: 'oct', k: 'c2VjcmV0' }, kid: 'attacker' }],
  ])('%s', async (_case, header) => {
    await expect401(await hs(claims(), header), 'INVALID_TOKEN');
  });

  it.each(['exp', 'iat', 'jti', 'iss', 'aud', 'tid', 'uid', 'akid'])('without %s', async (claim) => {
    const payload: Record<string, unknown> = claims();
    delete payload[claim];
    await expect401(await hs(payload), 'INVALID_TOKEN');
  });

  it.each([
    ['nbf', { nbf: now() + 120 }],
    ['iat', { iat: now() + 120 }],
  ])('%s in the future beyond the allowed skew', async (_case, overrides) => {
    await expect401(await hs(claims(overrides)), 'INVALID_TOKEN');
  });

  it('expired, with a valid signature: TOKEN_EXPIRED', async () => {
    await expect401(await hs(claims({ iat: now() - 600, exp: now() - 300 })), 'TOKEN_EXPIRED');
  });

  it('expired, with a bad signature: INVALID_TOKEN', async () => {
    await expect401(
      await hs(claims({ iat: now() - 600, exp: now() - 300 }), {}, new TextEncoder().encode('x'.repeat(40))),
      'INVALID_TOKEN',
    );
  });

  it('a five-part JWE', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims())))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(new Uint8Array(32));
    expect(jwe.split('.')).toHaveLength(5);
    await expect401(jwe, 'INVALID_TOKEN');
  });

  it('an over-long token', async () => {
    await expect401(await hs(claims({ padding: 'x'.repeat(10_000) })), 'INVALID_TOKEN');
  });

  it.each([
    // Printable, as an HTTP header must be; arbitrary bytes are fuzzed in-process (fuzzing.test.ts).
    ['random bytes', Buffer.from(randomBytes(96).map((byte) => 0x21 + (byte % 94))).toString('latin1')],
    ['three dots', '...'],
    ['base64 garbage', 'eyJ.eyJ.eyJ'],
    ['a JSON header that is an array', `${encode([1])}.${encode(claims())}.AAAA`],
  ])('%s', async (_case, token) => {
    await expect401(token, 'INVALID_TOKEN');
  });

  it('an API key sent as a session token', async () => {
    await expect401(apiKey, 'INVALID_TOKEN');
  });

  it('a session token sent as an API key', async () => {
    const token = await hs(claims());
    const response = await api.mint(token, { externalUserId: 'rep_1' });
    expect([response.status, response.body.error.code]).toEqual([401, 'INVALID_API_KEY']);
  });

  it('still accepts a well-formed token, so the refusals above are about their flaws', async () => {
    expect((await redeemWith(await hs(claims()))).status).toBe(200);
  });
});
