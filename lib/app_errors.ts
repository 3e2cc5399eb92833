import { HttpError } from "./fresh/mod.ts";
import { DbError, httpFailureFor } from "./db/errors.ts";

/** A database error as the HTTP error people see (lib/db/errors.ts holds the table). */
export function dbErrorToHttp(err: unknown): HttpError | undefined {
  if (!(err instanceof DbError)) return undefined;
  const { status, message, field } = httpFailureFor(err);
  // API clients get the field as forms do: `{ error, fields: { capacity: ["…"] } }`.
  const details = field ? { fields: { [field]: [message] } } : undefined;
  return new HttpError(status, message, { cause: err, details });
}
