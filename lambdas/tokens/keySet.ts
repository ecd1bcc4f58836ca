import { createSecretKey, type KeyObject } from 'node:crypto';
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
  /**
   * A KeyObject, made once here, not bytes: given raw bytes, Node 24's node:crypto makes a key of
   * them on every HMAC or cipher, ~35 µs of CPU each time, six times the HMAC itself.
   */
  readonly secret: KeyObject;
}

export interface KeySet {
  readonly current: KeyMaterial;
  /** The current key first, then those in `previous`. */
  readonly all: readonly KeyMaterial[];
  find(kid: string): KeyMaterial | undefined;
}

/**
 * Mistakes the schema lets through that would break signing silently: a repeated kid (the first
 * key listed wins every lookup, so the new key's tokens fail while the old key stays valid) and a
 * dot in a kid (cursors are `<kid>.<sealed>`, split at the first dot).
 */
const kidProblem = (kids: readonly string[]): string | undefined => {
  const dotted = kids.find((kid) => kid.includes('.'));
  if (dotted !== undefined) {
    return `kid "${dotted}" contains '.', which separates the kid from the rest of a cursor; use letters, digits, '-' and '_'`;
  }
  const repeated = kids.find((kid, i) => kids.indexOf(kid) !== i);
  if (repeated !== undefined) return `kid "${repeated}" is used by more than one key; give each key its own kid`;
  return undefined;
};

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
  const entries = [parsed.data, ...(parsed.data.previous ?? [])];
  const problem = kidProblem(entries.map((entry) => entry.kid));
  if (problem) throw new Error(`${label}: ${problem}`);
  const all = entries.map(({ kid, key }): KeyMaterial => ({ kid, secret: createSecretKey(key, 'utf8') }));
  const byKid = new Map(all.map((material) => [material.kid, material]));
  return { current: all[0] as KeyMaterial, all, find: (kid) => byKid.get(kid) };
};
