import { AthosError } from '../domain/errors.js';
import { cursorMaxLength } from '../domain/limits.js';
import type { CursorCodec } from '../domain/ports.js';
import { createAead } from './aead.js';
import type { KeySet } from './keySet.js';

/**
 * List cursors: the position, AES-256-GCM sealed (see `aead.ts`). The position inside is hidden
 * and cannot be altered, and the tenant and filters are bound in as associated data: a cursor used
 * by another tenant, or with other filters, fails to open instead of leaking rows.
 */
const invalidCursor = () => new AthosError('INVALID_REQUEST', 'cursor is not valid for this query');

export const createCursorCodec = (keys: KeySet): CursorCodec => {
  const aead = createAead(keys, 'athos-list-cursor-v1');
  return {
    encode(position: string, binding: string): string {
      return aead.seal(position, binding);
    },

    decode(cursor: string, binding: string): string {
      if (cursor.length > cursorMaxLength) throw invalidCursor();
      const position = aead.open(cursor, binding);
      if (position === undefined) throw invalidCursor();
      return position;
    },
  };
};
