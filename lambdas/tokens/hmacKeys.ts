import type { webcrypto } from 'node:crypto';
import type { KeySet } from './keySet.js';

type CryptoKey = webcrypto.CryptoKey;

/**
 * HS256 CryptoKeys, imported once per key id and process: jose would otherwise import the raw
 * secret again on every sign and verify.
 */
export const createHmacKeys = (keys: KeySet) => {
  const imported = new Map<string, Promise<CryptoKey>>();
  const importKey = (kid: string, secret: Uint8Array): Promise<CryptoKey> => {
    let key = imported.get(kid);
    if (!key) {
      key = crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
      imported.set(kid, key);
    }
    return key;
  };
  return {
    /** The key new tokens are signed with. */
    current: (): Promise<CryptoKey> => importKey(keys.current.kid, keys.current.secret),
    /** @returns undefined for a key id the set does not hold */
    find: (kid: string): Promise<CryptoKey> | undefined => {
      const material = keys.find(kid);
      return material && importKey(material.kid, material.secret);
    },
  };
};
