import type { z } from "zod";

/** zod issues as `{ field: [messages] }`, for forms and API responses. */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    (fields[issue.path.join(".") || "form"] ??= []).push(issue.message);
  }
  return fields;
}
