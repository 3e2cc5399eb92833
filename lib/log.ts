/**
 * A tiny structured logger: one JSON object per line on stdout, so the lines can be
 * shipped to any log store and queried by field (requestId, status, …) without parsing prose.
 *
 * Secrets never reach the log: any field whose key looks like a credential is replaced by
 * "[redacted]" at any depth, because a log line is read by more people than a database row.
 */

export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Receives each finished line (without the newline). Tests pass an array's `push`. */
export type LogSink = (line: string) => void;

/** Keys whose values are credentials or personal secrets: matched case-insensitively, anywhere in the key. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|otp|api[-_]?key|jwt|session/i;

export const REDACTED = "[redacted]";

/** Copies `value`, replacing secret-looking keys; errors become `{ name, message, stack }`. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return "[too deep]";
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  if (typeof value === "bigint") return value.toString();
  return value;
}

export function createLogger(sink: LogSink = (line) => console.log(line)): Logger {
  const write = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    const safe = redact(fields) as LogFields;
    // level and msg stay first (a person scanning raw lines sees them at once) and no field
    // can overwrite them: Object.assign keeps the first key order but the last value.
    const time = new Date().toISOString();
    sink(JSON.stringify(Object.assign({ level, msg }, safe, { level, msg, time })));
  };
  return {
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
  };
}

/** The process-wide logger for code that has no logger handed to it. */
export const log: Logger = createLogger();
