import { define } from "../../../../lib/state.ts";
import { requireSession } from "../../../../lib/auth/middleware.ts";
import { HttpError } from "../../../../lib/fresh/mod.ts";
import { courseModules } from "../../../../lib/content.ts";
import { isUuid } from "../../../../lib/ids.ts";
import type { RouteOperations } from "../../../../lib/openapi.ts";

/**
 * LMS-2: a course's modules in order, with lesson counts and the caller's completion. For the
 * course's enrolled students, their parents, its instructors and the school's admins
 * (public.content_course_id: 403 anyone else in the school, 404 unknown or another school's).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const claims = requireSession(ctx.state);
    const courseId = ctx.params.courseId;
    if (!isUuid(courseId)) throw new HttpError(404, "Course not found.");
    const outline = await courseModules(ctx.state.db, claims, courseId);
    return Response.json(outline, { headers: { "Cache-Control": "no-store" } });
  },
});

export const openapi: RouteOperations = {
  GET: {
    summary: "A course's modules in order, with lesson counts and the caller's completion",
    signedIn: true,
    responses: {
      200:
        "{ course: { id, code, title }, modules: [{ id, title, position, lessons, completed }], " +
        "progress: { lessonsTotal, lessonsCompleted, percent } } — completion is the signed-in " +
        "student's own (0 for staff and parents)",
      401: "Not signed in",
      403: "The course is in the catalog but its lessons are not the caller's to open " +
        "(not enrolled, not their child's, not their course to teach)",
      404: "Course not found (unknown, another school's, or a draft the caller may not see)",
    },
  },
};
