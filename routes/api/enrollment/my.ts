import { define } from "../../../lib/state.ts";
import { requireSession } from "../../../lib/auth/middleware.ts";
import { myEnrollments, perStudent } from "../../../lib/enrollment.ts";
import type { RouteOperations } from "../../../lib/openapi.ts";

/**
 * ENR-1: the signed-in student's enrolments, or a parent's children's, each labelled with the
 * student and carrying progress (lessons completed / total, as public.my_enrollments() counts).
 * `students` groups the same enrolments per child, in the order of the list.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const claims = requireSession(ctx.state);
    const rows = await myEnrollments(ctx.state.db, claims);
    const enrollments = rows.map((r) => ({
      enrollmentId: r.enrollment_id,
      student: { id: r.student_id, name: r.student_name },
      course: { id: r.course_id, code: r.course_code, title: r.course_title },
      status: r.status,
      enrolledAt: new Date(r.enrolled_at).toISOString(),
      lessonsTotal: r.lessons_total,
      lessonsCompleted: r.lessons_completed,
      progressPercent: r.progress_percent,
    }));
    const students = perStudent(rows).map((s) => ({
      id: s.id,
      name: s.name,
      enrollmentIds: s.enrollments.map((e) => e.enrollment_id),
    }));
    return Response.json(
      { enrollments, students },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
});

export const openapi: RouteOperations = {
  GET: {
    summary: "My enrolments (a parent: each child's), with progress",
    signedIn: true,
    responses: {
      200: "{ enrollments: [{ enrollmentId, student: { id, name }, course: { id, code, title }, " +
        "status, enrolledAt, lessonsTotal, lessonsCompleted, progressPercent }], " +
        "students: [{ id, name, enrollmentIds }] }",
      401: "Not signed in",
    },
  },
};
