import { randomBytes, randomInt } from 'node:crypto';

const base62Alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Uniformly random base62 text: every character carries log2(62) ≈ 5.95 bits. */
export const randomBase62 = (length: number): string => {
  let text = '';
  for (let i = 0; i < length; i++) text += base62Alphabet[randomInt(62)];
  return text;
};

export const randomBase64Url = (bytes: number): string => randomBytes(bytes).toString('base64url');

export const encodeBase62 = (value: number, width: number): string => {
  let text = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    text = base62Alphabet[rest % 62] + text;
    rest = Math.floor(rest / 62);
  }
  return text;
};

export const pickOne = <T>(items: readonly T[]): T => {
  if (items.length === 0) throw new RangeError('pickOne needs at least one item');
  return items[randomInt(items.length)] as T;
};
