/** Logger interface of the transport layer: a pino-compatible subset, default silent. */

/** One log method: structured fields first, then the message (pino's `(obj, msg)` form). */
export type LinkLogFn = (fields: Record<string, unknown>, msg: string) => void;

/** The logger the transports accept; a pino `Logger` satisfies it. */
export interface LinkLogger {
  debug: LinkLogFn;
  info: LinkLogFn;
  warn: LinkLogFn;
  error: LinkLogFn;
}

const noop: LinkLogFn = () => {};

/** A logger that drops everything (the default). */
export const silentLogger: LinkLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** One captured log line. */
export interface LogRecord {
  level: "debug" | "info" | "warn" | "error";
  fields: Record<string, unknown>;
  msg: string;
}

/** A logger that keeps every line in `records` (for tests and the simulator's trace). */
export function createCaptureLogger(): LinkLogger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord["level"]): LinkLogFn =>
    (fields, msg) => {
      records.push({ level, fields, msg });
    };
  return { records, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
