/** Shared answers of the teaching routes: the form's fields read once, the editor re-shown. */
import { page } from "../../../../lib/fresh/mod.ts";
import { fieldErrors } from "../../../../lib/http/field_errors.ts";
import type { FormFailure } from "../../../../lib/http/form_failure.ts";
import type { Claims, Db } from "../../../../lib/db/types.ts";
import { courseEditor } from "../../../../lib/teaching/courses.ts";
import type { CourseEditorData } from "./CourseEditorPage.tsx";
import type { z } from "zod";

/** A form validated by `schema`: the data, or the values and problems to show again. */
export function parseForm<Schema extends z.ZodType>(
  schema: Schema,
  values: Record<string, string>,
):
  | { ok: true; data: z.infer<Schema> }
  | { ok: false; failure: FormFailure & { fieldErrors: Record<string, string[]> } } {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, failure: { status: 400, fieldErrors: fieldErrors(parsed.error) } };
}

/** The course editor again, with what went wrong (nothing was saved). */
export async function editorRefusal(
  db: Db,
  claims: Claims,
  courseId: string,
  extra: Partial<CourseEditorData>,
  status: number,
) {
  const editor = await courseEditor(db, claims, courseId);
  return page<CourseEditorData>({ ...editor, ...extra }, { status });
}

/** `?done=…` after a redirect → the notice shown on the page. */
export function noticeFor(url: URL, notices: Record<string, string>): string | undefined {
  return notices[url.searchParams.get("done") ?? ""];
}

/** The upload island asks for JSON (Accept: application/json); a plain form post gets pages. */
export function wantsJson(req: Request): boolean {
  return /\bapplication\/json\b/.test(req.headers.get("Accept") ?? "");
}

/** Where to go next: a 303 for a form post, `{ location }` for the island. */
export function goTo(req: Request, location: string): Response {
  if (wantsJson(req)) {
    return Response.json({ location }, { headers: { "Cache-Control": "no-store" } });
  }
  return new Response(null, { status: 303, headers: { Location: location } });
}

/** A refusal as JSON for the island: `{ error, fields }`, like the API's. */
export function refusalJson(failure: FormFailure): Response {
  return Response.json(
    {
      error: failure.error ?? "Some fields need attention.",
      fields: failure.fieldErrors ?? {},
    },
    { status: failure.status, headers: { "Cache-Control": "no-store" } },
  );
}
