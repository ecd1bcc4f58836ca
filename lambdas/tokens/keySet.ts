import * as z from 'zod/mini';

/**
 * A signing key and the keys it replaced. New tokens are signed with `current`; tokens and cursors
 * that carry an older `kid` still verify while that key is listed in `previous`. Rotating is:
 * put a new secret version whose `previous` holds the old key, wait out the token lifetime, drop it.
 */
const keyEntry = z.object({
  kid: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/)),
  key: z.string().check(z.minLength(32)),
});
export const keySetSchema = z.object({ ...keyEntry.shape, previous: z.optional(z.array(keyEntry)) });

export interface KeyMaterial {
  readonly kid: string;
  readonly secret: Uint8Array;
}

export interface KeySet {
  readonly current: KeyMaterial;
  find(kid: string): KeyMaterial | undefined;
}

/** @throws Error naming `label` (never the key) when the text is not a key set. */
export const parseKeySet = (label: string, text: string): KeySet => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${label} is not JSON: expected {"kid","key","previous"?}`);
  }
  const parsed = keySetSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${label} is not a key set: expected {"kid","key"(≥32 chars),"previous"?}`);
  const toMaterial = ({ kid, key }: { kid: string; key: string }): KeyMaterial => ({
    kid,
    secret: new TextEncoder().encode(key),
  });
  const all = [parsed.data, ...(parsed.data.previous ?? [])].map(toMaterial);
  const byKid = new Map(all.map((material) => [material.kid, material]));
  return { current: all[0] as KeyMaterial, find: (kid) => byKid.get(kid) };
};
