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

/**
 * What leaves a transaction that failed: the driver's errors (they carry a `code`) become a
 * DbError; the caller's own errors thrown inside the work (a route's HttpError, a form's
 * refusal) come out as themselves, after the rollback.
 */
export function transactionFailure(error: unknown): unknown {
  const code = (error as DriverError | null)?.code;
  return error instanceof DbError || typeof code === "string" ? toDbError(error) : error;
}

export interface HttpFailure {
  status: number;
  message: string;
  /** The form field (the column's name) the problem is about, when the database says which. */
  field?: string;
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

/**
 * Named constraints whose refusal is about one value a person typed: which field, and what to
 * say instead of the generic words above. Field names are the columns' (forms use the same).
 */
const byConstraint: Record<string, HttpFailure> = {
  courses_tenant_id_code_key: {
    status: 409,
    field: "code",
    message: "Another course of this school already has this code.",
  },
  courses_code_check: {
    status: 422,
    field: "code",
    message: "Use up to 32 capital letters, digits, dots, dashes or underscores, e.g. MATH-10A.",
  },
  courses_title_check: {
    status: 422,
    field: "title",
    message: "Give a title of 1 to 200 characters.",
  },
  courses_subject_check: {
    status: 422,
    field: "subject",
    message: "Use lowercase letters, digits, spaces and dashes (up to 60), e.g. mathematics.",
  },
  courses_grade_level_check: {
    status: 422,
    field: "grade_level",
    message: "Give a grade of 1 to 20 characters, e.g. 10 or Form 2.",
  },
  courses_description_check: {
    status: 422,
    field: "description",
    message: "Keep the description to 10,000 characters.",
  },
  courses_capacity_check: {
    status: 422,
    field: "capacity",
    message: "Capacity must be between 1 and 10,000.",
  },
  modules_title_check: {
    status: 422,
    field: "title",
    message: "Give a title of 1 to 200 characters.",
  },
  lessons_title_check: {
    status: 422,
    field: "title",
    message: "Give a title of 1 to 200 characters.",
  },
  lessons_body_check: {
    status: 422,
    field: "body",
    message: "Keep the text to 200,000 characters.",
  },
  lessons_duration_seconds_check: {
    status: 422,
    field: "duration_seconds",
    message: "A lesson lasts at most 24 hours.",
  },
};

/** Our own codes: `EL` + the HTTP status they mean; the SQL's message is shown as written. */
const ownStatuses = new Set([400, 401, 403, 404, 409, 410, 413, 422, 429]);
/** Our own codes name the field in DETAIL when the problem is one value (e.g. `capacity`). */
const FIELD_NAME = /^[a-z][a-z0-9_]*$/;

export function httpFailureFor(error: DbError): HttpFailure {
  const own = /^EL(\d{3})$/.exec(error.code);
  if (own && ownStatuses.has(Number(own[1]))) {
    const field = error.detail && FIELD_NAME.test(error.detail) ? error.detail : undefined;
    return { status: Number(own[1]), message: error.message, ...(field ? { field } : {}) };
  }
  return (error.constraint ? byConstraint[error.constraint] : undefined) ?? byCode[error.code] ??
    byClass[error.code.slice(0, 2)] ??
    { status: 500, message: "Something went wrong on our side." };
}
