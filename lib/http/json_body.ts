/**
 * JSON request bodies validated by a zod schema: malformed JSON or a wrong shape is a 400 that
 * names each field's problem (`{ error, fields: { email: ["…"] } }`), before anything runs.
 */
import type { z } from "zod";
import { HttpError } from "../fresh/mod.ts";
import { fieldErrors } from "./field_errors.ts";

export async function readJson<Schema extends z.ZodType>(
  req: Request,
  schema: Schema,
): Promise<z.infer<Schema>> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new HttpError(400, "The request body must be JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new HttpError(400, "Some fields need attention.", {
      details: { fields: fieldErrors(parsed.error) },
    });
  }
  return parsed.data;
}
