import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { KeySet } from './keySet.js';

/**
 * Compact JWS with HS256 and nothing else (RFC 7515/7519), on node:crypto's HMAC.
 *
 * Why not jose: jose 6 signs through WebCrypto, whose every HMAC is a thread-pool round trip costing
 * ~40 µs of CPU for ~2 µs of hashing, and its generality costs 18 KB of bundle. Accepting one
 * algorithm and one header shape also leaves nothing to negotiate: no `alg: none`, no other
 * algorithm, no `crit`, `jku`, `jwk` or `b64`. The tests check this module against jose.
 */

const headerKeys = new Set(['alg', 'typ', 'kid']);
const signatureBytes = 32;
const base64url = /^[A-Za-z0-9_-]+$/;

export type Hs256Failure = 'malformed' | 'bad-signature';

export interface VerifiedJws {
  readonly kid: string;
  readonly payload: Record<string, unknown>;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Decodes canonical base64url only: Node would skip foreign characters and spare bits. */
const decode = (part: string): Buffer | undefined => {
  if (!base64url.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
};

const jsonObject = (bytes: Buffer | undefined): Record<string, unknown> | undefined => {
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

const hmac = (secret: KeyObject, input: string) => createHmac('sha256', secret).update(input).digest();

export const signHs256 = (keys: KeySet, payload: Record<string, unknown>): string => {
  const input = `${encode({ alg: 'HS256', typ: 'JWT', kid: keys.current.kid })}.${encode(payload)}`;
  return `${input}.${hmac(keys.current.secret, input).toString('base64url')}`;
};

/**
 * The payload of a token signed with a key of `keys`. Says nothing about its claims: the caller
 * checks those, only after this has vouched for the signature.
 */
export const verifyHs256 = (keys: KeySet, token: string, maxLength: number): VerifiedJws | Hs256Failure => {
  if (token.length > maxLength) return 'malformed';
  const parts = token.split('.');
  if (parts.length !== 3) return 'malformed';
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = jsonObject(decode(headerPart));
  if (!header || header.alg !== 'HS256' || typeof header.kid !== 'string') return 'malformed';
  if ((header.typ !== undefined && header.typ !== 'JWT') || Object.keys(header).some((name) => !headerKeys.has(name)))
    return 'malformed';
  const key = keys.find(header.kid);
  const signature = decode(signaturePart);
  if (!key || !signature || signature.length !== signatureBytes) return 'bad-signature';
  if (!timingSafeEqual(signature, hmac(key.secret, `${headerPart}.${payloadPart}`))) return 'bad-signature';
  const payload = jsonObject(decode(payloadPart));
  return payload ? { kid: header.kid, payload } : 'malformed';
};
