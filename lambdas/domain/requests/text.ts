import * as z from 'zod/mini';

/**
 * Requests of the public API, as zod schemas whose output is exactly what each operation takes:
 * one module per operation, so that each handler bundles only its own. Objects drop unknown keys
 * (clients may send more than we read), so prototype keys such as `__proto__` never reach the
 * operations.
 */

/**
 * Text we store, sign and echo: bounded, well-formed UTF-16 (a lone surrogate cannot be stored as
 * UTF-8), and free of control characters (NUL, line breaks, terminal escapes), which an id has no
 * use for and which break logs, headers and the screens that show them.
 */
export const text = (maxLength: number) =>
  z.string().check(
    z.minLength(1),
    z.maxLength(maxLength),
    z.refine((value) => value.isWellFormed(), { error: 'must be well-formed Unicode text' }),
    z.refine((value) => !/\p{Cc}/u.test(value), { error: 'must not contain control characters' }),
  );
