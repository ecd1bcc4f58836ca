import { execFile } from 'node:child_process';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createTestTenant, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';

/** What the voice transport team gets: tickets it can verify, and keys it could never sign with. */
const table = testTable();
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const redeemedTicket = async () => {
  const { apiKey } = await createTestTenant(table);
  const minted = await api.mint(apiKey, { externalUserId: 'rep_1' });
  const redeemed = await api.redeem(minted.body.token, { drillKey: 'ma-full-sale' });
  expect(redeemed.status).toBe(200);
  return redeemed.body as { connectionTicket: string; callId: string; sessionId: string };
};

/** The documented example, run as the transport team would run it. */
const runExample = (...args: string[]) =>
  new Promise<{ code: number; lines: string[] }>((resolve) => {
    execFile(process.execPath, ['docs/examples/verify-connection-ticket.mjs', ...args], (error, stdout) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, lines: stdout.trim().split('\n') }),
    );
  });

describe('connection tickets for the voice transport', () => {
  it('verify against the public keys the local run publishes', async () => {
    const { connectionTicket, callId, sessionId } = await redeemedTicket();

    const { payload, protectedHeader } = await jwtVerify(
      connectionTicket,
      createRemoteJWKSet(new URL(`${api.baseUrl}/.well-known/jwks.json`)),
      { algorithms: ['EdDSA'], issuer: 'athos-external-api', audience: 'athos-voice' },
    );

    expect(protectedHeader).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: 'test-ticket-1' });
    expect(payload).toMatchObject({ sub: callId, sid: sessionId, jti: expect.any(String) });
  });

  it('the documented example accepts a ticket once, then refuses it as used', async () => {
    const { connectionTicket, callId } = await redeemedTicket();

    const { code, lines } = await runExample(
      `${api.baseUrl}/.well-known/jwks.json`,
      connectionTicket,
      connectionTicket,
    );

    expect(code).toBe(1);
    expect(lines[0]).toMatch(new RegExp(`^ok call=${callId} session=ext_\\S+ tenant=tnt_\\w+ persona=.+$`));
    expect(lines[1]).toBe('refused: ticket already used');
  }, 60_000);

  it('the documented example refuses an altered ticket', async () => {
    const { connectionTicket } = await redeemedTicket();
    const [header, payload, signature = ''] = connectionTicket.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    const altered = `${header}.${Buffer.from(JSON.stringify({ ...claims, tid: 'tnt_AAAAAAAAAAAAAAAA' })).toString('base64url')}.${signature}`;

    const { code, lines } = await runExample(`${api.baseUrl}/.well-known/jwks.json`, altered);

    expect([code, lines]).toEqual([1, ['refused: signature does not verify']]);
  }, 60_000);
});
