import { createPrivateKey, createPublicKey, hkdfSync, sign, type KeyObject } from 'node:crypto';
import type { KeyMaterial, KeySet } from './keySet.js';

/**
 * Connection tickets are signed with Ed25519 (JWS `EdDSA`, RFC 8037), so the voice transport
 * verifies them with public keys and holds nothing that could mint one.
 *
 * Each private key is derived from the key set's secret (HKDF-SHA256 to a 32-byte seed), so the
 * secret keeps the shape every key set has, `{"kid","key","previous"?}`: Secrets Manager generates
 * it, and it rotates by kid like the others. Its public half is published as a JWKS.
 */
const derivationInfo = 'athos-connection-ticket-ed25519-v1';
/** PKCS #8 wrapping of an Ed25519 seed (RFC 8410): this prefix, then the 32 bytes. */
const pkcs8Ed25519Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

const privateKeyOf = (material: KeyMaterial): KeyObject => {
  const seed = Buffer.from(hkdfSync('sha256', material.secret, new Uint8Array(0), derivationInfo, 32));
  return createPrivateKey({ key: Buffer.concat([pkcs8Ed25519Prefix, seed]), format: 'der', type: 'pkcs8' });
};

export interface PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly use: 'sig';
  readonly alg: 'EdDSA';
}

/** The public keys that verify tickets: the current key's and those of `previous`, by kid. */
export const publicJwks = (keys: KeySet): { keys: PublicJwk[] } => ({
  keys: keys.all.map((material) => {
    const { x } = createPublicKey(privateKeyOf(material)).export({ format: 'jwk' });
    return { kty: 'OKP', crv: 'Ed25519', x: String(x), kid: material.kid, use: 'sig', alg: 'EdDSA' };
  }),
});

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs compact JWS with the current key; the key is derived once, when the signer is made. */
export const ticketSigner = (keys: KeySet) => {
  const privateKey = privateKeyOf(keys.current);
  const header = encode({ alg: 'EdDSA', typ: 'JWT', kid: keys.current.kid });
  return (payload: Record<string, unknown>): string => {
    const input = `${header}.${encode(payload)}`;
    return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
  };
};
