/**
 * Structured log lines, one JSON object each, always with the request id. Callers pass named
 * fields, never whole events or headers: those hold API keys and session tokens.
 */
export const logLevels = ['info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];
type LineLevel = Exclude<LogLevel, 'silent'>;

export type Log = (level: LineLevel, message: string, fields: Record<string, unknown>) => void;

/** Writes lines of `threshold` and above; `silent` writes none. */
export const createLog = (threshold: LogLevel = 'info'): Log => {
  const lowest = logLevels.indexOf(threshold);
  return (level, message, fields) => {
    if (logLevels.indexOf(level) < lowest) return;
    process.stdout.write(`${JSON.stringify({ level, message, ...fields })}\n`);
  };
};
