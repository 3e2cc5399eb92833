import { define } from "../../../../lib/state.ts";
import { requireSession } from "../../../../lib/auth/middleware.ts";
import { HttpError } from "../../../../lib/fresh/mod.ts";
import { courseDetail } from "../../../../lib/catalog.ts";
import type { RouteOperations } from "../../../../lib/openapi.ts";

/**
 * One course the caller may read, its modules with lesson counts and the caller's enrolment.
 * Unknown, another school's and malformed ids get the same 404.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const claims = requireSession(ctx.state);
    const detail = await courseDetail(ctx.state.db, claims, ctx.params.courseId);
    if (!detail) throw new HttpError(404, "Course not found.");
    return Response.json(detail, { headers: { "Cache-Control": "no-store" } });
  },
});

export const openapi: RouteOperations = {
  GET: {
    summary: "A course: details, instructors, modules with lesson counts, my enrolment",
    signedIn: true,
    responses: {
      200: "{ course: { id, code, title, subject, gradeLevel, description, capacity, seatsLeft, " +
        "status, createdAt, instructors: [{ id, name }] }, modules: [{ id, title, position, " +
        "lessons }], enrollment: { status } | null }",
      401: "Not signed in",
      404: "Course not found (unknown, another school's, or not visible to the caller)",
    },
  },
};
