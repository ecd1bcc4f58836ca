/**
 * How many bytes DynamoDB counts for a value, by its published sizing rules: strings and binary by
 * their length, numbers by their significant digits, lists and maps 3 bytes plus each element and
 * 1 byte per element (and, in a map, each name). Rounded up where the rules are approximate, so a
 * value this function accepts is never refused by DynamoDB's 400 KB item limit.
 */
export const storedSize = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.eE+-]/g, '').length / 2) + 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((sum: number, element) => sum + 1 + storedSize(element), 3);
  if (typeof value === 'object') {
    let size = 3;
    for (const [name, element] of Object.entries(value)) {
      if (element !== undefined) size += 1 + Buffer.byteLength(name, 'utf8') + storedSize(element);
    }
    return size;
  }
  return Buffer.byteLength(String(value), 'utf8');
};

/** How deeply lists and maps nest inside a value (a scalar is 0); DynamoDB allows 32 levels. */
export const nestingDepth = (value: unknown): number => {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return 0;
  let deepest = 0;
  for (const element of Object.values(value)) deepest = Math.max(deepest, nestingDepth(element));
  return deepest + 1;
};
