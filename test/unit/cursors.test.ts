import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createCursorCodec } from '../../lambdas/tokens/cursors.js';

const keys = parseKeySet(
  'test',
  JSON.stringify({ kid: 'k2', key: 'b'.repeat(40), previous: [{ kid: 'k1', key: 'a'.repeat(40) }] }),
);
const codec = createCursorCodec(keys);
const position = '2026-06-05T18:05:00.000Z#athos_call_GZ1DjOkZv_VEPoE-CJ8mp';

describe('list cursors', () => {
  it('give back the position for the same binding', () => {
    expect(codec.decode(codec.encode(position, 'tenant-a'), 'tenant-a')).toBe(position);
  });

  it('refuse each other base64url character in the last place', () => {
    // Sealed lengths that are not a multiple of 3 leave spare bits in the last character.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const length of [10, 11, 12]) {
      const cursor = codec.encode('x'.repeat(length), 'tenant-a');
      for (const other of alphabet.replace(cursor.at(-1) ?? '', '')) {
        expect(() => codec.decode(cursor.slice(0, -1) + other, 'tenant-a')).toThrow(
          expect.objectContaining({ code: 'INVALID_REQUEST' }),
        );
      }
    }
  });

  it('do not show the position', () => {
    expect(codec.encode(position, 'tenant-a')).not.toContain('athos_call');
  });

  it('open for the binding they were sealed with only', () => {
    expect(() => codec.decode(codec.encode(position, 'tenant-a'), 'tenant-b')).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
  });

  it('still open after the key rotated, while the old key is listed', () => {
    const old = createCursorCodec(parseKeySet('old', JSON.stringify({ kid: 'k1', key: 'a'.repeat(40) })));
    expect(codec.decode(old.encode(position, 'tenant-a'), 'tenant-a')).toBe(position);
  });

  it('do not open once the key is dropped', () => {
    const dropped = createCursorCodec(parseKeySet('new', JSON.stringify({ kid: 'k3', key: 'c'.repeat(40) })));
    expect(() => dropped.decode(codec.encode(position, 'tenant-a'), 'tenant-a')).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
  });

  it('refuse any changed character, including the spare bits of the last one', () => {
    const cursor = codec.encode(position, 'tenant-a');
    for (let i = 3; i < cursor.length; i++) {
      const changed = cursor.slice(0, i) + (cursor[i] === 'A' ? 'B' : 'A') + cursor.slice(i + 1);
      expect(() => codec.decode(changed, 'tenant-a')).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    }
  });
});
