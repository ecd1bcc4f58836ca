import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { encodeBase62, randomBase62 } from './random.js';
import { tenantIdBodyLength } from './ids.js';

/**
 * API keys: `ath_live_` + tenant id body (16) + secret (43 base62 ≈ 256 bits) + CRC32 checksum (6).
 *
 * The checksum lets a mistyped or truncated key be refused without a database read, and the
 * embedded tenant id lets authentication fetch the key and its tenant in one round trip. Only the
 * SHA-256 of the whole key is stored; the key itself is shown once, when it is issued.
 */
const prefix = 'ath_live_';
const secretLength = 43;
const checksumLength = 6;
const keyPattern = new RegExp(
  `^${prefix}([0-9A-Za-z]{${tenantIdBodyLength}})([0-9A-Za-z]{${secretLength}})([0-9A-Za-z]{${checksumLength}})$`,
);

export const maxApiKeyLength = prefix.length + tenantIdBodyLength + secretLength + checksumLength;

const checksumOf = (text: string): string => encodeBase62(crc32(text), checksumLength);

export const generateApiKey = (tenantId: string): string => {
  const body = `${prefix}${tenantId.slice('tnt_'.length)}${randomBase62(secretLength)}`;
  return body + checksumOf(body);
};

export interface ParsedApiKey {
  readonly tenantId: string;
  readonly hash: string;
  /** What operators see in listings: enough to tell keys apart, useless to an attacker. */
  readonly displayPrefix: string;
}

/** @returns the key's parts, or undefined for anything that is not a well-formed Athos key. */
export const parseApiKey = (candidate: string): ParsedApiKey | undefined => {
  if (candidate.length !== maxApiKeyLength) return undefined;
  const match = keyPattern.exec(candidate);
  if (!match) return undefined;
  const [, tenantBody, , checksum] = match;
  if (checksumOf(candidate.slice(0, -checksumLength)) !== checksum) return undefined;
  return {
    tenantId: `tnt_${tenantBody}`,
    hash: hashApiKey(candidate),
    displayPrefix: `${candidate.slice(0, prefix.length + 6)}…${candidate.slice(-4)}`,
  };
};

export const hashApiKey = (apiKey: string): string => createHash('sha256').update(apiKey).digest('hex');
