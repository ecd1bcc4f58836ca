#!/usr/bin/env node
// Verifies Athos connection tickets as the voice transport should, with Node.js's own crypto and
// no dependency (Node.js 20 or later). See docs/voice-transport.md.
//
//   node verify-connection-ticket.mjs <JWKS URL or file> <ticket> [<ticket> ...]
//
// Prints one line per ticket, "ok ..." or "refused: <why>", and exits 1 if any was refused. The
// tickets share one replay cache, so the same ticket given twice is refused the second time.
import { createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const ISSUER = 'athos-external-api';
const AUDIENCE = 'athos-voice';
const CLOCK_SKEW_SECONDS = 30;

/** The published key set, from a URL or a file. */
export const loadJwks = async (source) =>
  /^https?:\/\//.test(source) ? (await fetch(source)).json() : JSON.parse(await readFile(source, 'utf8'));

const decodeJson = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/**
 * A verifier for one transport process: the public keys by kid, and the ids of tickets already
 * taken, kept until they expire. Several transport instances share that cache (e.g. Redis SET NX
 * with the ticket's remaining lifetime as expiry) so that a ticket connects once in all.
 */
export const createTicketVerifier = (jwks, { now = () => Date.now() } = {}) => {
  const keys = new Map(
    jwks.keys
      .filter((jwk) => jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.alg === 'EdDSA')
      .map((jwk) => [jwk.kid, createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' })]),
  );
  const taken = new Map();

  return (ticket) => {
    const parts = ticket.split('.');
    if (parts.length !== 3) throw new Error('not a compact JWS');
    const [header, payload, signature] = parts;
    const { alg, kid } = decodeJson(header);
    // Accept exactly one algorithm: never "none", never a MAC, whatever the header says.
    if (alg !== 'EdDSA') throw new Error(`algorithm ${alg} is not EdDSA`);
    const key = keys.get(kid);
    if (!key) throw new Error(`unknown kid ${kid}: fetch the key set again, once`);
    if (!verify(null, Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) {
      throw new Error('signature does not verify');
    }

    const claims = decodeJson(payload);
    const seconds = Math.floor(now() / 1000);
    if (claims.iss !== ISSUER) throw new Error(`issuer ${claims.iss} is not ${ISSUER}`);
    if (claims.aud !== AUDIENCE) throw new Error(`audience ${claims.aud} is not ${AUDIENCE}`);
    if (typeof claims.exp !== 'number' || claims.exp <= seconds - CLOCK_SKEW_SECONDS) throw new Error('ticket expired');
    if (typeof claims.iat !== 'number' || claims.iat > seconds + CLOCK_SKEW_SECONDS)
      throw new Error('issued in the future');
    for (const name of ['jti', 'sub', 'sid', 'tid']) {
      if (typeof claims[name] !== 'string' || claims[name] === '') throw new Error(`claim ${name} is missing`);
    }

    // Single use: remember each ticket id until the ticket could no longer pass anyway.
    for (const [jti, expiresAt] of taken) if (expiresAt + CLOCK_SKEW_SECONDS < seconds) taken.delete(jti);
    if (taken.has(claims.jti)) throw new Error('ticket already used');
    taken.set(claims.jti, claims.exp);
    return claims;
  };
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [source, ...tickets] = process.argv.slice(2);
  if (!source || tickets.length === 0) {
    console.error('usage: node verify-connection-ticket.mjs <JWKS URL or file> <ticket> [<ticket> ...]');
    process.exit(2);
  }
  const verifyTicket = createTicketVerifier(await loadJwks(source));
  let refused = 0;
  for (const ticket of tickets) {
    try {
      const claims = verifyTicket(ticket);
      console.log(`ok call=${claims.sub} session=${claims.sid} tenant=${claims.tid} persona=${claims.persona}`);
    } catch (error) {
      refused += 1;
      console.log(`refused: ${error.message}`);
    }
  }
  process.exit(refused > 0 ? 1 : 0);
}
