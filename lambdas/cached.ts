/**
 * An async value made on first use and kept for `maxAgeMs`, then made again on the next use.
 *
 * A failed first make is not kept: the next call tries again. A failed refresh keeps serving the
 * value it had: a briefly unreachable secret must not turn a working function into a failing one.
 */
export const cached = <T>(
  maxAgeMs: number,
  make: () => Promise<T>,
  now: () => number = Date.now,
): (() => Promise<T>) => {
  let current: { value: Promise<T>; madeAt: number } | undefined;
  return () => {
    if (current && now() - current.madeAt < maxAgeMs) return current.value;
    const previous = current;
    const value = make().catch((error: unknown) => {
      if (previous) return previous.value;
      current = undefined;
      throw error;
    });
    current = { value, madeAt: now() };
    return value;
  };
};

/**
 * How long a function keeps a key set before reading it again. With the secrets extension's own
 * 5-minute cache, a new secret version reaches every warm function within 15 minutes: the wait
 * between the steps of a key rotation (docs/operating.md, "Rotating signing keys").
 */
export const keySetMaxAgeMs = 10 * 60_000;
