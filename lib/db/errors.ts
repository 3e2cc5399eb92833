/**
 * Database errors, normalised from both drivers, and the one table that maps SQLSTATEs and our
 * own `EL…` codes to HTTP statuses and messages a person understands (ARCHITECTURE §1).
 * Routes never read error text from the database except for our own codes, whose messages the
 * SQL writes for people.
 */

/** A database error with the fields both drivers report, and nothing else (no SQL text). */
export class DbError extends Error {
  override name = "DbError";
  constructor(
    message: string,
    readonly code: string,
    readonly detail?: string,
    readonly constraint?: string,
  ) {
    super(message);
  }
}

interface DriverError {
  message?: string;
  code?: string;
  detail?: string;
  constraint?: string;
  constraint_name?: string;
}

/** Connection failures have no SQLSTATE on the client side; they all mean "unreachable". */
const unreachableCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "CONNECT_TIMEOUT"]);
export const UNREACHABLE = "08006";

export function toDbError(error: unknown): DbError {
  if (error instanceof DbError) return error;
  const e = (error ?? {}) as DriverError;
  const code = typeof e.code === "string" && e.code.length > 0 ? e.code : "XX000";
  return new DbError(
    e.message ?? String(error),
    unreachableCodes.has(code) ? UNREACHABLE : code,
    e.detail,
    e.constraint ?? e.constraint_name,
  );
}

export interface HttpFailure {
  status: number;
  message: string;
}

/** SQLSTATE (exact, then by class) → HTTP. Our own codes carry the database's message. */
const byCode: Record<string, HttpFailure> = {
  "23505": { status: 409, message: "That already exists." },
  "23503": { status: 422, message: "That refers to something that does not exist." },
  "23502": { status: 422, message: "A required value is missing." },
  "23514": { status: 422, message: "A value is not allowed." },
  "22P02": { status: 400, message: "A value has the wrong format." },
  "22001": { status: 400, message: "A value is too long." },
  "22007": { status: 400, message: "A date or time has the wrong format." },
  "42501": { status: 403, message: "You do not have permission to do that." },
  "40001": { status: 503, message: "The system is busy; please try again." },
  "40P01": { status: 503, message: "The system is busy; please try again." },
  "57014": { status: 503, message: "That took too long; please try again." },
  "P0002": { status: 404, message: "Not found." },
  [UNREACHABLE]: { status: 503, message: "The database is unavailable; please try again soon." },
};

const byClass: Record<string, HttpFailure> = {
  "08": byCode[UNREACHABLE],
  "57": byCode[UNREACHABLE],
  "53": { status: 503, message: "The system is busy; please try again." },
};

/** Our own codes: `EL` + the HTTP status they mean; the SQL's message is shown as written. */
const ownStatuses = new Set([400, 401, 403, 404, 409, 410, 413, 422, 429]);

export function httpFailureFor(error: DbError): HttpFailure {
  const own = /^EL(\d{3})$/.exec(error.code);
  if (own && ownStatuses.has(Number(own[1]))) {
    return { status: Number(own[1]), message: error.message };
  }
  return byCode[error.code] ?? byClass[error.code.slice(0, 2)] ??
    { status: 500, message: "Something went wrong on our side." };
}
