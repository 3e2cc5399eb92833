/**
 * Reads of ENR-1 and ENR-2 shared by the API and the pages: the database decides who sees what
 * (`public.my_enrollments()`, `public.course_roster()`), this module only runs them.
 */
import type { Claims, Db } from "./db/types.ts";

export interface MyEnrollmentRow {
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

/** A student's enrolments, or a parent's children's, with progress. */
export async function myEnrollments(db: Db, claims: Claims): Promise<MyEnrollmentRow[]> {
  return await db.asUser(
    claims,
    (q) => q<MyEnrollmentRow>("select * from public.my_enrollments()"),
  );
}

/** The enrolments grouped per student, in the order of the list. */
export function perStudent(rows: MyEnrollmentRow[]) {
  const groups = new Map<string, { id: string; name: string; enrollments: MyEnrollmentRow[] }>();
  for (const row of rows) {
    const group = groups.get(row.student_id) ??
      { id: row.student_id, name: row.student_name, enrollments: [] };
    group.enrollments.push(row);
    groups.set(row.student_id, group);
  }
  return [...groups.values()];
}

export interface Guardian {
  name: string;
  phone: string | null;
  email: string | null;
}

export interface RosterRow {
  student_id: string;
  full_name: string;
  email: string | null;
  guardians: Guardian[];
}

/**
 * A course's students with all their guardians, for its instructors and the school's admins
 * (the database raises EL403 for anyone else, EL404 for an unknown or other school's course).
 */
export async function courseRoster(
  db: Db,
  claims: Claims,
  courseId: string,
): Promise<{ course: { id: string; code: string; title: string } | null; students: RosterRow[] }> {
  return await db.asUser(claims, async (q) => {
    const students = await q<RosterRow>(
      "select student_id, full_name, email, guardians from public.course_roster($1)",
      [courseId],
    );
    const [course] = await q<{ id: string; code: string; title: string }>(
      "select id, code, title from public.courses where id = $1",
      [courseId],
    );
    return { course: course ?? null, students };
  });
}
