/**
 * Structured log lines, one JSON object each, always with the request id. Callers pass named
 * fields, never whole events or headers: those hold API keys and session tokens.
 */
type Level = 'info' | 'warn' | 'error';

const order: Record<Level | 'silent', number> = { info: 0, warn: 1, error: 2, silent: 3 };
const threshold = order[(process.env.LOG_LEVEL as Level | 'silent' | undefined) ?? 'info'] ?? 0;

export const log = (level: Level, message: string, fields: Record<string, unknown>): void => {
  if (order[level] < threshold) return;
  process.stdout.write(`${JSON.stringify({ level, message, ...fields })}\n`);
};
