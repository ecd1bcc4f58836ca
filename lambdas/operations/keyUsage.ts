import type { Clock, KeyUsage, KeyUsageStore } from '../domain/ports.js';

/** How stale an API key's "last used" may be: the price of not writing on every request. */
export const keyUsageResolutionMs = 15 * 60_000;

/**
 * Records that a key minted a session, at most once per key per `keyUsageResolutionMs` in this
 * process. Best effort: a failed write only leaves lastUsedAt older (DynamoDB failures raise the
 * table's alarms), so it never fails the request it rides along with.
 */
export const throttledKeyUsage = (store: KeyUsageStore, clock: Clock): KeyUsage => {
  const lastRecorded = new Map<string, number>();
  return {
    async touch(keyHash: string): Promise<void> {
      const now = clock.now();
      if (now.getTime() - (lastRecorded.get(keyHash) ?? 0) < keyUsageResolutionMs) return;
      lastRecorded.set(keyHash, now.getTime());
      await store.recordUse(keyHash, now.toISOString()).catch(() => lastRecorded.delete(keyHash));
    },
  };
};
