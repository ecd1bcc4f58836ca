import { parseKeySet } from '../../lambdas/tokens/keySet.js';

const key = (n: number) => `key-${n}-${'x'.repeat(40)}`;
const parse = (value: unknown) => () => parseKeySet('CURSOR_KEYS', JSON.stringify(value));

describe('a key set', () => {
  it('signs with kid and still finds every key listed in previous', () => {
    const keys = parseKeySet(
      'CURSOR_KEYS',
      JSON.stringify({
        kid: 'k3',
        key: key(3),
        previous: [
          { kid: 'k2', key: key(2) },
          { kid: 'k1', key: key(1) },
        ],
      }),
    );

    expect(keys.current.kid).toBe('k3');
    expect(['k3', 'k2', 'k1'].map((kid) => keys.find(kid)?.kid)).toEqual(['k3', 'k2', 'k1']);
  });

  it('is refused when the current kid is listed again in previous, naming the kid', () => {
    // Otherwise the old key wins the lookup: new tokens fail to verify and the old key stays valid.
    const loading = parse({ kid: 'k2', key: key(2), previous: [{ kid: 'k2', key: key(1) }] });

    expect(loading).toThrow('CURSOR_KEYS: kid "k2" is used by more than one key; give each key its own kid');
  });

  it('is refused when two previous keys share a kid', () => {
    const loading = parse({
      kid: 'k3',
      key: key(3),
      previous: [
        { kid: 'k1', key: key(2) },
        { kid: 'k1', key: key(1) },
      ],
    });

    expect(loading).toThrow('kid "k1" is used by more than one key');
  });

  it.each([
    ['the current kid', { kid: 'k.2', key: key(2) }, 'k.2'],
    ['a previous kid', { kid: 'k2', key: key(2), previous: [{ kid: 'v1.0', key: key(1) }] }, 'v1.0'],
  ])("is refused when %s contains '.', naming it", (_case, value, kid) => {
    // A cursor is `<kid>.<sealed>` and is split at the first dot: such a kid breaks every cursor.
    expect(parse(value)).toThrow(
      `CURSOR_KEYS: kid "${kid}" contains '.', which separates the kid from the rest of a cursor; use letters, digits, '-' and '_'`,
    );
  });

  it('names neither key in any refusal', () => {
    const secret = key(7);
    expect(parse({ kid: 'k.1', key: secret })).not.toThrow(secret);
    expect(parse({ kid: 'k1', key: secret, previous: [{ kid: 'k1', key: secret }] })).not.toThrow(secret);
  });
});
