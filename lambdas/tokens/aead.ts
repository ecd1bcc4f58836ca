import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import type { KeySet } from './keySet.js';

/**
 * Sealed text: `<kid>.<base64url(iv | AES-256-GCM ciphertext | tag)>`, with associated data that
 * must match to open it. Each purpose derives its own AES key from the key set by HKDF (`purpose`
 * is the info), so one secret never encrypts for two purposes.
 */
const ivBytes = 12;
const tagBytes = 16;

export interface Aead {
  seal(plaintext: string, associatedData: string): string;
  /** @returns undefined for anything but text this key set sealed with this associated data */
  open(sealed: string, associatedData: string): string | undefined;
}

export const createAead = (keys: KeySet, purpose: string): Aead => {
  const derived = new Map<string, KeyObject>();
  const aesKeyFor = (kid: string): KeyObject | undefined => {
    let key = derived.get(kid);
    if (!key) {
      const material = keys.find(kid);
      if (!material) return undefined;
      key = createSecretKey(Buffer.from(hkdfSync('sha256', material.secret, new Uint8Array(0), purpose, 32)));
      derived.set(kid, key);
    }
    return key;
  };

  return {
    seal(plaintext, associatedData) {
      const { kid } = keys.current;
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', aesKeyFor(kid) as KeyObject, iv).setAAD(Buffer.from(associatedData));
      const sealed = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${kid}.${sealed.toString('base64url')}`;
    },

    open(text, associatedData) {
      const dot = text.indexOf('.');
      const key = dot > 0 ? aesKeyFor(text.slice(0, dot)) : undefined;
      const encoded = text.slice(dot + 1);
      const sealed = Buffer.from(encoded, 'base64url');
      // Node skips foreign characters and ignores a last character's spare bits: only the exact
      // text we sealed may open, or altered text could.
      if (!key || sealed.length <= ivBytes + tagBytes || sealed.toString('base64url') !== encoded) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, ivBytes))
          .setAAD(Buffer.from(associatedData))
          .setAuthTag(sealed.subarray(sealed.length - tagBytes));
        return Buffer.concat([
          decipher.update(sealed.subarray(ivBytes, sealed.length - tagBytes)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
};
