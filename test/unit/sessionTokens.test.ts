import { SignJWT, UnsecuredJWT } from 'jose';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createSessionTokenSigner } from '../../lambdas/tokens/sessionTokenSigner.js';
import { createSessionTokenVerifier } from '../../lambdas/tokens/sessionTokenVerifier.js';

const secret = 'session-key-0123456789-0123456789-abcdef';
const keys = parseKeySet('test', JSON.stringify({ kid: 's1', key: secret }));
const now = new Date('2026-06-05T18:00:00Z');
const clock = { now: () => now };
const options = { issuer: 'athos-external-api', ttlSeconds: 300 };
/** A signer and a verifier on the same keys, as mint and redeem hold them, at a given time. */
const createSessionTokens = (keySet: typeof keys, tokenOptions: typeof options, at: { now: () => Date }) => ({
  ...createSessionTokenSigner(keySet, tokenOptions, at),
  ...createSessionTokenVerifier(keySet, tokenOptions, at),
});
const tokens = createSessionTokens(keys, options, clock);
const subject = { tenantId: 'tnt_0123456789abcdef', externalUserId: 'rep_1' };
const at = (date: Date) => createSessionTokens(keys, { issuer: 'athos-external-api', ttlSeconds: 300 }, { now: () => date });

const hs256 = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  new SignJWT({ tid: subject.tenantId, uid: 'rep_1', ...claims })
    .setProtectedHeader({ alg: 'HS256', kid: 's1', ...header })
    .sign(new TextEncoder().encode(secret));

const baseClaims = () => ({
  jti: 'abcdefghijklmnopqrstuvwx',
  iss: 'athos-external-api',
  aud: 'athos-roleplay',
  iat: Math.floor(now.getTime() / 1000),
  exp: Math.floor(now.getTime() / 1000) + 300,
});

describe('session tokens', () => {
  it('verify what they signed', async () => {
    const { token, jti, expiresAt } = await tokens.sign({ ...subject, externalAgencyId: 'agency_1' });

    await expect(tokens.verify(token)).resolves.toEqual({ jti, tenantId: subject.tenantId, externalUserId: 'rep_1', externalAgencyId: 'agency_1', expiresAt });
  });

  it('are TOKEN_EXPIRED past exp, with a valid signature', async () => {
    const { token } = await tokens.sign(subject);
    await expect(at(new Date(now.getTime() + 331_000)).verify(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('still verify within the clock skew', async () => {
    const { token } = await tokens.sign(subject);
    await expect(at(new Date(now.getTime() + 320_000)).verify(token)).resolves.toMatchObject({ externalUserId: 'rep_1' });
  });

  it('are INVALID_TOKEN when expired and signed with another key', async () => {
    const other = createSessionTokens(
      parseKeySet('other', JSON.stringify({ kid: 's1', key: 'another-key-0123456789-0123456789-abcdef' })),
      { issuer: 'athos-external-api', ttlSeconds: 300 },
      clock,
    );
    const { token } = await other.sign(subject);
    await expect(at(new Date(now.getTime() + 3_600_000)).verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('are INVALID_TOKEN when issued in the future', async () => {
    const { token } = await at(new Date(now.getTime() + 600_000)).sign(subject);
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it.each<[string, () => Promise<string>]>([
    ['alg none', async () => new UnsecuredJWT({ ...baseClaims(), tid: subject.tenantId, uid: 'rep_1' }).encode()],
    ['another issuer', () => hs256({ ...baseClaims(), iss: 'someone-else' })],
    ['another audience', () => hs256({ ...baseClaims(), aud: 'athos-voice' })],
    ['an unknown kid', () => hs256(baseClaims(), { kid: 'nope' })],
    ['no kid', () => hs256(baseClaims(), { kid: undefined })],
    ['a tenant claim of the wrong shape', () => hs256({ ...baseClaims(), tid: 'tenant' })],
    ['a rep claim that is not text', () => hs256({ ...baseClaims(), uid: 7 })],
    ...(['exp', 'iat', 'jti', 'iss', 'aud'] as const).map(
      (claim): [string, () => Promise<string>] => [
        `no ${claim}`,
        () => hs256(Object.fromEntries(Object.entries(baseClaims()).filter(([name]) => name !== claim))),
      ],
    ),
    ['a token over 2 KB', async () => `${await hs256(baseClaims())}${'A'.repeat(2_048)}`],
  ])('are INVALID_TOKEN with %s', async (_case, make) => {
    await expect(tokens.verify(await make())).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });
});
