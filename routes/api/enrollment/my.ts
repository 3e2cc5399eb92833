import { define } from "../../../lib/state.ts";
import { requireSession } from "../../../lib/auth/middleware.ts";
import type { RouteOperations } from "../../../lib/openapi.ts";

interface MyEnrollmentRow {
  enrollment_id: string;
  student_id: string;
  student_name: string;
  course_id: string;
  course_code: string;
  course_title: string;
  status: string;
  enrolled_at: string | Date;
  lessons_total: number;
  lessons_completed: number;
  progress_percent: number;
}

/**
 * ENR-1: the signed-in student's enrolments, or a parent's children's, each labelled with the
 * student and carrying progress (lessons completed / total, as public.my_enrollments() counts).
 * `students` groups the same enrolments per child, in the order of the list.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const claims = requireSession(ctx.state);
    const rows = await ctx.state.db.asUser(
      claims,
      (q) => q<MyEnrollmentRow>("select * from public.my_enrollments()"),
    );
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
    const students = new Map<string, { id: string; name: string; enrollmentIds: string[] }>();
    for (const e of enrollments) {
      const entry = students.get(e.student.id) ??
        { id: e.student.id, name: e.student.name, enrollmentIds: [] };
      entry.enrollmentIds.push(e.enrollmentId);
      students.set(e.student.id, entry);
    }
    return Response.json(
      { enrollments, students: [...students.values()] },
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
