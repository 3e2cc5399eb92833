import { define } from "../../../../lib/state.ts";
import { requireSession } from "../../../../lib/auth/middleware.ts";
import { HttpError, precompressed } from "../../../../lib/fresh/mod.ts";
import { fieldErrors } from "../../../../lib/http/field_errors.ts";
import { listCourses, parseCatalogQuery } from "../../../../lib/catalog.ts";
import type { RouteOperations } from "../../../../lib/openapi.ts";

/**
 * The catalog (LMS-1): `?page&limit&subject&grade&q&sort&order&mine=true` → one page of the
 * courses the caller may read (RLS decides), `{ courses, total, page, limit }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const claims = requireSession(ctx.state);
    const parsed = parseCatalogQuery(ctx.url.searchParams);
    if (!parsed.success) {
      throw new HttpError(400, "Some query parameters need attention.", {
        details: { fields: fieldErrors(parsed.error) },
      });
    }
    const kept = await listCourses(ctx.state.db, claims, parsed.data, ctx.state.catalog);
    // A kept page's gzip is kept with it: made once, not for every answer.
    return precompressed(ctx.req, kept.json, kept, {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
    });
  },
});

export const openapi: RouteOperations = {
  GET: {
    summary:
      "One page of the school's courses: ?page (≥1), limit (1..100, default 20), subject, grade, " +
      "q (title or code), sort (title|created|code), order (asc|desc), mine=true (courses I teach)",
    signedIn: true,
    responses: {
      200: "{ courses: [{ id, code, title, subject, gradeLevel, description, capacity, seatsLeft " +
        "(capacity less the enrolments not withdrawn; 0 when full), status, createdAt, " +
        "instructors: [{ id, name }] }], total, page, limit }",
      400: "A query parameter is invalid; fields names it",
      401: "Not signed in",
    },
  },
};
