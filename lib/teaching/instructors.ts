/**
 * Changing who teaches a course (the course editor's "Instructors"): the school's admins add and
 * remove teachers. The database decides who may (admins of the course's school: RLS, else
 * 42501) and whom (an active teacher of that school, EL422); a published course keeps at least one
 * instructor (EL409). This module runs the statements and names refusals for the form.
 */
import { HttpError } from "../fresh/mod.ts";
import { isUuid } from "../ids.ts";
import type { Claims, Db } from "../db/types.ts";
import { DbError } from "../db/errors.ts";
import { FieldProblem } from "../http/form_failure.ts";
import { withEditableCourse } from "./courses.ts";

export const ADMINS_ONLY = "Only the school's admins can change who teaches a course.";

/** Adds a teacher as an instructor; adding one who already teaches it changes nothing. */
export async function addInstructor(
  db: Db,
  claims: Claims,
  courseId: string,
  teacherId: string,
): Promise<void> {
  if (!isUuid(teacherId)) throw new FieldProblem(400, "teacher_id", "Choose a teacher.");
  await withEditableCourse(db, claims, courseId, async (q) => {
    await adminsOnly(() =>
      q(
        `insert into public.course_instructors (tenant_id, course_id, teacher_id)
         select c.tenant_id, c.id, $2 from public.courses c where c.id = $1
         on conflict do nothing`,
        [courseId, teacherId],
      )
    );
  });
}

/** Removes an instructor; removing one who no longer teaches it changes nothing. */
export async function removeInstructor(
  db: Db,
  claims: Claims,
  courseId: string,
  teacherId: string,
): Promise<void> {
  if (!isUuid(teacherId)) throw new HttpError(404, "That teacher does not teach this course.");
  await withEditableCourse(db, claims, courseId, async (q) => {
    const removed = await q(
      `delete from public.course_instructors where course_id = $1 and teacher_id = $2
       returning teacher_id`,
      [courseId, teacherId],
    );
    if (removed.length > 0) return;
    // RLS hides the row from anyone who may not delete it: if it is still there, say so.
    const [still] = await q(
      "select 1 from public.course_instructors where course_id = $1 and teacher_id = $2",
      [courseId, teacherId],
    );
    if (still) throw new HttpError(403, ADMINS_ONLY);
  });
}

/** The insert policy's refusal (42501) with what it means here. */
async function adminsOnly<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DbError && error.code === "42501") throw new HttpError(403, ADMINS_ONLY);
    throw error;
  }
}
