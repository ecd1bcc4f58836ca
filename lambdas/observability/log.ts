/**
 * Structured log lines: one JSON object per line, with `timestamp`, `level` and `message` first and
 * the fields a logger was bound to (request ids, operation, tenant) after. Callers pass named
 * fields, never whole events or headers: those hold API keys and session tokens.
 *
 * Lines go straight to stdout, not through `console`: under Lambda's JSON log format the runtime
 * wraps console output in its own object (our JSON would become an escaped string in its
 * `message`, and an EMF document would stop being one), while a JSON line on stdout is kept as it
 * is and filtered by its `level` (and dated by its `timestamp`) against the function's application
 * log level.
 */
export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];
/** The least severe level written; `silent` writes nothing (the tests and the benchmark use it). */
export type LogThreshold = LogLevel | 'silent';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  /** Whether a line of this level would be written, to skip building one that would not. */
  enabled(level: LogLevel): boolean;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds these fields to every line it writes. */
  child(fields: LogFields): Logger;
}

const severity: Record<LogThreshold, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/**
 * A threshold from a setting, in Lambda's spelling (`AWS_LAMBDA_LOG_LEVEL`: TRACE … FATAL) or ours.
 * @returns undefined for a value that names no level
 */
export const parseLogThreshold = (text: string): LogThreshold | undefined => {
  const name = text.trim().toLowerCase();
  if (name === 'trace') return 'debug';
  if (name === 'fatal') return 'error';
  return Object.hasOwn(severity, name) ? (name as LogThreshold) : undefined;
};

// Looked up on each line, not captured: a test may replace stdout's write after the logger is made.
const writeToStdout = (line: string) => {
  process.stdout.write(line);
};

export const createLogger = (
  threshold: LogThreshold,
  write: (line: string) => void = writeToStdout,
  bound: LogFields = {},
): Logger => {
  const enabled = (level: LogLevel) => severity[level] >= severity[threshold];
  const writer =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}): void => {
      if (!enabled(level)) return;
      write(`${JSON.stringify({ timestamp: new Date().toISOString(), level, message, ...bound, ...fields })}\n`);
    };
  return {
    enabled,
    debug: writer('debug'),
    info: writer('info'),
    warn: writer('warn'),
    error: writer('error'),
    child: (fields) => createLogger(threshold, write, { ...bound, ...fields }),
  };
};
