import { createHmac } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { createConnectionTickets } from '../../lambdas/tokens/connectionTickets.js';
import { publicJwks } from '../../lambdas/tokens/ticketKeys.js';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';

const secretK1 = 'ticket-key-one-0123456789-0123456789-abcdef';
const secretK2 = 'ticket-key-two-0123456789-0123456789-abcdef';
const now = new Date('2026-06-05T18:00:00Z');
const keysOf = (value: unknown) => parseKeySet('CONNECTION_TICKET_KEYS', JSON.stringify(value));
const current = keysOf({ kid: 'k2', key: secretK2, previous: [{ kid: 'k1', key: secretK1 }] });
const subject = {
  callId: 'athos_call_GZ1DjOkZv_VEPoE-CJ8mp',
  sessionId: 'ext_abc',
  tenantId: 'tnt_0123456789abcdef',
  drillKey: 'ma-full-sale',
  personaName: 'Margaret Chen',
  difficulty: 'Advanced',
};
const issue = (keys = current) =>
  createConnectionTickets(keys, 'athos-external-api', { now: () => now }).issue(subject);
/** How the voice transport checks a ticket, with an independent implementation (jose). */
const verify = (ticket: string, jwks: JSONWebKeySet) =>
  jwtVerify(ticket, createLocalJWKSet(jwks), {
    algorithms: ['EdDSA'],
    issuer: 'athos-external-api',
    audience: 'athos-voice',
    currentDate: now,
  });

describe('connection tickets', () => {
  it('are Ed25519 (EdDSA) JWTs naming their key, which the published public keys verify', async () => {
    const ticket = issue();

    expect(decodeProtectedHeader(ticket)).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: 'k2' });
    const { payload } = await verify(ticket, publicJwks(current));
    expect(payload).toEqual({
      sub: subject.callId,
      sid: subject.sessionId,
      tid: subject.tenantId,
      drill: subject.drillKey,
      persona: subject.personaName,
      difficulty: subject.difficulty,
      iss: 'athos-external-api',
      aud: 'athos-voice',
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 60,
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22,}$/),
    });
  });

  it('each carry their own jti, so the transport can take each once', async () => {
    const jwks = publicJwks(current);
    const ids = await Promise.all(Array.from({ length: 20 }, async () => (await verify(issue(), jwks)).payload.jti));
    expect(new Set(ids).size).toBe(20);
  });

  it('publish only public keys: the current one and those still listed in previous, by kid', () => {
    const jwks = publicJwks(current);

    expect(jwks.keys.map((key) => key.kid)).toEqual(['k2', 'k1']);
    for (const key of jwks.keys) {
      expect(key).toEqual({
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.any(String),
        kid: key.kid,
        use: 'sig',
        alg: 'EdDSA',
      });
    }
    expect(JSON.stringify(jwks)).not.toMatch(/"d"|ticket-key/);
  });

  it('keep verifying across a rotation while the old key is still published', async () => {
    const beforeRotation = issue(keysOf({ kid: 'k1', key: secretK1 }));
    await expect(verify(beforeRotation, publicJwks(current))).resolves.toBeDefined();
    await expect(verify(beforeRotation, publicJwks(keysOf({ kid: 'k2', key: secretK2 })))).rejects.toThrow();
  });

  it('cannot be made with what the transport holds: an HS256 ticket under the old shared secret is refused', async () => {
    const forgedInput = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'k2' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({
        sub: subject.callId,
        iss: 'athos-external-api',
        aud: 'athos-voice',
        exp: now.getTime() / 1000 + 60,
      }),
    ).toString('base64url')}`;
    const forged = `${forgedInput}.${createHmac('sha256', secretK2).update(forgedInput).digest('base64url')}`;

    await expect(verify(forged, publicJwks(current))).rejects.toThrow();
  });
});
