/**
 * An async value made on first use, then kept for the life of the process. A failure is not kept:
 * the next call tries again (a throttled secret fetch must not poison a warm Lambda).
 */
export const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
};
