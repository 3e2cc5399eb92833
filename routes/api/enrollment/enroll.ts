import { z } from "zod";
import { define } from "../../../lib/state.ts";
import { readJson } from "../../../lib/http/json_body.ts";
import { requireSession } from "../../../lib/auth/middleware.ts";
import type { RouteOperations } from "../../../lib/openapi.ts";

const EnrollBody = z.object({
  courseId: z.uuid("Choose a course."),
  studentId: z.uuid("Choose a student.").optional(),
});

interface EnrollResult {
  enrollment_id: string;
  created: boolean;
  course: { id: string; code: string; title: string };
}

/**
 * ENR-1: enrol yourself, or (a parent) your child, or (an admin) a student of the school. The
 * rules — who may enrol whom, published course, prerequisites, exact seat limit, confirmation —
 * are public.enroll()'s; its refusals reach the client as they are (403, 404, 409, 422).
 */
export const handler = define.handlers({
  async POST(ctx) {
    const claims = requireSession(ctx.state);
    const { courseId, studentId } = await readJson(ctx.req, EnrollBody);
    const [{ result }] = await ctx.state.db.asUser(
      claims,
      (q) =>
        q<{ result: EnrollResult }>("select public.enroll($1, $2) as result", [
          courseId,
          studentId ?? null,
        ]),
    );
    return Response.json(
      { enrollmentId: result.enrollment_id, created: result.created, course: result.course },
      { status: result.created ? 201 : 200, headers: { "Cache-Control": "no-store" } },
    );
  },
});

export const openapi: RouteOperations = {
  POST: {
    summary: "Enrol a student in a course (idempotent)",
    body: EnrollBody,
    signedIn: true,
    responses: {
      200: "Already enrolled: { enrollmentId, created: false, course: { id, code, title } }",
      201: "Enrolled: { enrollmentId, created: true, course: { id, code, title } }",
      400: "The body is not { courseId, studentId? } with uuids",
      401: "Not signed in",
      403: "A teacher, a parent naming a child not theirs, or a student naming someone else",
      404: "Course not found (unknown, another school's or a draft), or student not found",
      409: "This course is full.",
      422: "A prerequisite is not completed (named), or a parent or admin chose no student",
    },
  },
};
