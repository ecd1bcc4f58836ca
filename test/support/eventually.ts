/**
 * Polls `probe` until it returns a value (not undefined), or fails once `deadlineMs` has passed:
 * for outcomes that arrive through a queue, waited for by their condition rather than a sleep.
 */
export const eventually = async <T>(
  probe: () => Promise<T | undefined>,
  { deadlineMs = 30_000, everyMs = 100, what = 'the condition' } = {},
): Promise<T> => {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
};
