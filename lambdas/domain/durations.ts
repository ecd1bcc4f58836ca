const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `250ms`, `90s`, `15m`, `24h`, `7d` (or a sum such as `1h30m`) in milliseconds; undefined for
 * anything else.
 */
export const parseDuration = (text: string): number | undefined => {
  const parts = [...text.matchAll(/(\d+)(ms|[smhd])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * (units[unit ?? ''] ?? 0), 0);
};
