import * as z from 'zod/mini';

/**
 * Requests of the public API, as zod schemas whose output is exactly what each operation takes:
 * one module per operation, so that each handler bundles only its own. Objects drop unknown keys
 * (clients may send more than we read), so prototype keys such as `__proto__` never reach the
 * operations.
 */

/** Text we store: bounded, and well-formed UTF-16 (a lone surrogate cannot be stored as UTF-8). */
export const text = (maxLength: number) =>
  z.string().check(
    z.minLength(1),
    z.maxLength(maxLength),
    z.refine((value) => value.isWellFormed(), { error: 'must be well-formed Unicode text' }),
  );
