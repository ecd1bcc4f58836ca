import { createHmac } from 'node:crypto';
import { SignJWT, UnsecuredJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { sessionTokenAudience } from '../../lambdas/tokens/sessionTokenFormat.js';
import { createSessionTokenSigner } from '../../lambdas/tokens/sessionTokenSigner.js';
import { createSessionTokenVerifier } from '../../lambdas/tokens/sessionTokenVerifier.js';

const secret = 'session-key-0123456789-0123456789-abcdef';
const keys = parseKeySet('test', JSON.stringify({ kid: 's1', key: secret }));
const now = new Date('2026-06-05T18:00:00Z');
const options = { issuer: 'athos-external-api', ttlSeconds: 300 };
const signerAt = (date: Date) => createSessionTokenSigner(keys, options, { now: () => date });
const verifierAt = (date: Date) => createSessionTokenVerifier(keys, options, { now: () => date });
const signer = signerAt(now);
const verifier = verifierAt(now);
const subject = { tenantId: 'tnt_0123456789abcdef', keyId: 'key_0123456789abcdef_0123456789', externalUserId: 'rep_1' };

/** jose, an independent implementation, forges the tokens below. */
const hs256 = (claims: Record<string, unknown>, header: Record<string, unknown> = {}, alg = 'HS256') =>
  new SignJWT({ tid: subject.tenantId, akid: subject.keyId, uid: 'rep_1', ...claims })
    .setProtectedHeader({ alg, kid: 's1', ...header })
    .sign(new TextEncoder().encode(secret));
const baseClaims = () => ({
  jti: 'abcdefghijklmnopqrstuvwx',
  iss: 'athos-external-api',
  aud: 'athos-roleplay',
  iat: Math.floor(now.getTime() / 1000),
  exp: Math.floor(now.getTime() / 1000) + 300,
});
/** A token signed with the right key whatever its header says, as an attacker with no scruples would. */
const forged = (header: Record<string, unknown>, payload: Record<string, unknown>) => {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('session tokens', () => {
  it('verify what they signed', () => {
    const { token, jti, expiresAt } = signer.sign({ ...subject, externalAgencyId: 'agency_1' });
    expect(verifier.verify(token)).toEqual({
      jti,
      tenantId: subject.tenantId,
      keyId: subject.keyId,
      externalUserId: 'rep_1',
      externalAgencyId: 'agency_1',
      expiresAt,
    });
  });

  it('are standard HS256 JWTs that jose verifies', async () => {
    const { token } = signer.sign(subject);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT', kid: 's1' });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer: 'athos-external-api',
      audience: sessionTokenAudience,
      currentDate: now,
    });
    expect(payload).toMatchObject({
      tid: subject.tenantId,
      akid: subject.keyId,
      uid: 'rep_1',
      iat: baseClaims().iat,
      exp: baseClaims().exp,
    });
  });

  it('accept a well-formed token jose signed', async () => {
    expect(verifier.verify(await hs256(baseClaims()))).toMatchObject({
      tenantId: subject.tenantId,
      externalUserId: 'rep_1',
    });
  });

  it('are TOKEN_EXPIRED past exp, with a valid signature', () => {
    const { token } = signer.sign(subject);
    expect(codeOf(() => verifierAt(new Date(now.getTime() + 331_000)).verify(token))).toBe('TOKEN_EXPIRED');
  });

  it('still verify within the clock skew', () => {
    const { token } = signer.sign(subject);
    expect(codeOf(() => verifierAt(new Date(now.getTime() + 320_000)).verify(token))).toBe('accepted');
  });

  it('are INVALID_TOKEN when expired and signed with another key', () => {
    const other = createSessionTokenSigner(
      parseKeySet('other', JSON.stringify({ kid: 's1', key: 'another-key-0123456789-0123456789-abcdef' })),
      options,
      { now: () => now },
    );
    const { token } = other.sign(subject);
    expect(codeOf(() => verifierAt(new Date(now.getTime() + 3_600_000)).verify(token))).toBe('INVALID_TOKEN');
  });

  it('are INVALID_TOKEN when issued in the future', () => {
    const { token } = signerAt(new Date(now.getTime() + 600_000)).sign(subject);
    expect(codeOf(() => verifier.verify(token))).toBe('INVALID_TOKEN');
  });

  it.each<[string, () => Promise<string>]>([
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ ...baseClaims(), tid: subject.tenantId, akid: subject.keyId, uid: 'rep_1' }).encode(),
    ],
    ['HS512', () => hs256(baseClaims(), {}, 'HS512')],
    ['another issuer', () => hs256({ ...baseClaims(), iss: 'someone-else' })],
    ['another audience', () => hs256({ ...baseClaims(), aud: 'athos-voice' })],
    ['an unknown kid', () => hs256(baseClaims(), { kid: 'nope' })],
    ['no kid', () => hs256(baseClaims(), { kid: undefined })],
    [
      'a crit header',
      async () =>
        forged(
          { alg: 'HS256', kid: 's1', crit: ['exp'], exp: 1 },
          { ...baseClaims(), tid: subject.tenantId, uid: 'rep_1' },
        ),
    ],
    [
      'a header that is not an object',
      async () =>
        forged(['HS256'] as unknown as Record<string, unknown>, {
          ...baseClaims(),
          tid: subject.tenantId,
          uid: 'rep_1',
        }),
    ],
    [
      'a payload that is not an object',
      async () => forged({ alg: 'HS256', kid: 's1' }, [1, 2] as unknown as Record<string, unknown>),
    ],
    ['an unencoded payload (b64: false)', () => hs256(baseClaims(), { b64: true })],
    ['a typ other than JWT', () => hs256(baseClaims(), { typ: 'at+jwt' })],
    ['a tenant claim of the wrong shape', () => hs256({ ...baseClaims(), tid: 'tenant' })],
    ['a rep claim that is not text', () => hs256({ ...baseClaims(), uid: 7 })],
    ['no minting key (akid)', () => hs256({ ...baseClaims(), akid: undefined })],
    ['a minting key claim of the wrong shape', () => hs256({ ...baseClaims(), akid: 'key_1' })],
    ['an exp that is text', () => hs256({ ...baseClaims(), exp: String(baseClaims().exp) })],
    ...(['exp', 'iat', 'jti', 'iss', 'aud'] as const).map((claim): [string, () => Promise<string>] => [
      `no ${claim}`,
      () => hs256(Object.fromEntries(Object.entries(baseClaims()).filter(([name]) => name !== claim))),
    ]),
    ['a token over 2 KB', async () => `${await hs256(baseClaims())}${'A'.repeat(2_048)}`],
    [
      'a signature with spare bits changed',
      async () => (await hs256(baseClaims())).replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')),
    ],
    ['four parts', async () => `${await hs256(baseClaims())}.AAAA`],
  ])('are INVALID_TOKEN with %s', async (_case, make) => {
    const token = await make();
    expect(codeOf(() => verifier.verify(token))).toBe('INVALID_TOKEN');
  });
});
