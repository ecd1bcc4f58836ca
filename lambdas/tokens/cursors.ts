import { AthosError } from '../domain/errors.js';
import { createAead } from './aead.js';
import type { KeySet } from './keySet.js';

/**
 * List cursors: the position, AES-256-GCM sealed (see `aead.ts`). The position inside is hidden
 * and cannot be altered, and the tenant and filters are bound in as associated data: a cursor used
 * by another tenant, or with other filters, fails to open instead of leaking rows.
 */
const maxCursorLength = 1_024;

const invalidCursor = () => new AthosError('INVALID_REQUEST', 'cursor is not valid for this query');

export const createCursorCodec = (keys: KeySet) => {
  const aead = createAead(keys, 'athos-list-cursor-v1');
  return {
    encode(position: string, binding: string): string {
      return aead.seal(position, binding);
    },

    /** @throws AthosError INVALID_REQUEST for anything but a cursor we issued for this binding */
    decode(cursor: string, binding: string): string {
      if (cursor.length > maxCursorLength) throw invalidCursor();
      const position = aead.open(cursor, binding);
      if (position === undefined) throw invalidCursor();
      return position;
    },
  };
};

export type CursorCodec = ReturnType<typeof createCursorCodec>;
