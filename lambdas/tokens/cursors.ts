import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AthosError } from '../domain/errors.js';
import { cursorMaxLength } from '../domain/limits.js';
import type { CursorCodec } from '../domain/ports.js';
import type { KeySet } from './keySet.js';

/**
 * List cursors: `<kid>.<base64url(iv | AES-256-GCM ciphertext | tag)>`. The position inside is
 * hidden and cannot be altered, and the tenant and filters are bound in as associated data: a
 * cursor used by another tenant, or with other filters, fails to decrypt instead of leaking rows.
 */
const ivBytes = 12;
const tagBytes = 16;

const invalidCursor = () => new AthosError('INVALID_REQUEST', 'cursor is not valid for this query');

export const createCursorCodec = (keys: KeySet): CursorCodec => {
  const derived = new Map<string, Buffer>();
  // A dedicated key per purpose, so the cursor secret never signs or verifies anything else.
  const aesKeyFor = (kid: string): Buffer | undefined => {
    let key = derived.get(kid);
    if (!key) {
      const material = keys.find(kid);
      if (!material) return undefined;
      key = Buffer.from(hkdfSync('sha256', material.secret, new Uint8Array(0), 'athos-list-cursor-v1', 32));
      derived.set(kid, key);
    }
    return key;
  };

  return {
    encode(position: string, binding: string): string {
      const { kid } = keys.current;
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', aesKeyFor(kid) as Buffer, iv).setAAD(Buffer.from(binding));
      const sealed = Buffer.concat([iv, cipher.update(position, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${kid}.${sealed.toString('base64url')}`;
    },

    decode(cursor: string, binding: string): string {
      if (cursor.length > cursorMaxLength) throw invalidCursor();
      const dot = cursor.indexOf('.');
      const key = dot > 0 ? aesKeyFor(cursor.slice(0, dot)) : undefined;
      const encoded = cursor.slice(dot + 1);
      const sealed = Buffer.from(encoded, 'base64url');
      // Node skips foreign characters and ignores a last character's spare bits: only the exact
      // text we issued may pass, or an altered cursor could open.
      if (!key || sealed.length <= ivBytes + tagBytes || sealed.toString('base64url') !== encoded)
        throw invalidCursor();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, ivBytes))
          .setAAD(Buffer.from(binding))
          .setAuthTag(sealed.subarray(sealed.length - tagBytes));
        return Buffer.concat([
          decipher.update(sealed.subarray(ivBytes, sealed.length - tagBytes)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw invalidCursor();
      }
    },
  };
};
