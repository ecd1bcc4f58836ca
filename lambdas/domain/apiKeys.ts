import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { encodeBase62, randomBase62 } from './random.js';
import { tenantIdBodyLength } from './ids.js';
import type { ApiMode } from './testMode.js';

/**
 * API keys: `ath_live_` (or `ath_test_`) + tenant id body (16) + secret (43 base62 ≈ 256 bits) + CRC32
 * checksum (6). The checksum covers the prefix, so a key's mode cannot be edited into the other.
 *
 * The checksum lets a mistyped or truncated key be refused without a database read, and the
 * embedded tenant id lets authentication fetch the key and its tenant in one round trip. Only the
 * SHA-256 of the whole key is stored; the key itself is shown once, when it is issued.
 */
const prefixOf = (mode: ApiMode) => `ath_${mode}_`;
const prefixLength = 'ath_live_'.length;
const secretLength = 43;
const checksumLength = 6;
const keyPattern = new RegExp(
  `^ath_(live|test)_([0-9A-Za-z]{${tenantIdBodyLength}})([0-9A-Za-z]{${secretLength}})([0-9A-Za-z]{${checksumLength}})$`,
);

export const maxApiKeyLength = prefixLength + tenantIdBodyLength + secretLength + checksumLength;

const checksumOf = (text: string): string => encodeBase62(crc32(text), checksumLength);

export const generateApiKey = (tenantId: string, mode: ApiMode = 'live'): string => {
  const body = `${prefixOf(mode)}${tenantId.slice('tnt_'.length)}${randomBase62(secretLength)}`;
  return body + checksumOf(body);
};

export interface ParsedApiKey {
  /** The live tenant the key belongs to, whatever its mode. */
  readonly tenantId: string;
  readonly mode: ApiMode;
  readonly hash: string;
  /** What operators see in listings: enough to tell keys apart, useless to an attacker. */
  readonly displayPrefix: string;
}

/** @returns the key's parts, or undefined for anything that is not a well-formed Athos key. */
export const parseApiKey = (candidate: string): ParsedApiKey | undefined => {
  if (candidate.length !== maxApiKeyLength) return undefined;
  const match = keyPattern.exec(candidate);
  if (!match) return undefined;
  const [, mode, tenantBody, , checksum] = match;
  if (checksumOf(candidate.slice(0, -checksumLength)) !== checksum) return undefined;
  return {
    tenantId: `tnt_${tenantBody}`,
    mode: mode as ApiMode,
    hash: hashApiKey(candidate),
    displayPrefix: `${candidate.slice(0, prefixLength + 6)}…${candidate.slice(-4)}`,
  };
};

export const hashApiKey = (apiKey: string): string => createHash('sha256').update(apiKey).digest('hex');
