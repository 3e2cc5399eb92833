/**
 * A database refusal as a form shows it: next to the field the database names (a constraint or
 * an `EL…` code's detail, see lib/db/errors.ts) when the form has that field, else above the
 * form. Anything that is not a person's mistake (5xx, bugs) is thrown on.
 */
import { DbError, httpFailureFor } from "../db/errors.ts";

/** A form refused by the server itself, with what is wrong per field. */
export class FormRefusal extends Error {
  override name = "FormRefusal";
  constructor(
    readonly status: number,
    readonly fieldErrors: Record<string, string[]>,
    message = "Some fields need attention.",
  ) {
    super(message);
  }
}

/** One field's problem (e.g. a course code that matches no course, a file of the wrong type). */
export class FieldProblem extends FormRefusal {
  override name = "FieldProblem";
  constructor(status: number, readonly field: string, message: string) {
    super(status, { [field]: [message] }, message);
  }
}

export interface FormFailure {
  status: number;
  error?: string;
  fieldErrors?: Record<string, string[]>;
}

export function formFailure(
  error: unknown,
  fields: readonly string[],
  /** Database field → form field where they differ (e.g. duration_seconds → duration_minutes). */
  renamed: Record<string, string> = {},
): FormFailure {
  if (error instanceof FormRefusal) return { status: error.status, fieldErrors: error.fieldErrors };
  if (!(error instanceof DbError)) throw error;
  const { status, message, field } = httpFailureFor(error);
  if (status >= 500) throw error;
  const formField = field ? renamed[field] ?? field : undefined;
  if (formField && fields.includes(formField)) {
    return { status, fieldErrors: { [formField]: [message] } };
  }
  return { status, error: message };
}
