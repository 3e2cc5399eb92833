/**
 * Teaching tools, course level: the courses a person may change, creating one, editing its
 * details and prerequisites, publishing. Who may change what is the database's rule
 * (`private.editable_course_ids()` and the policies built on it); this module runs the
 * statements and turns "not visible" into 404 and "visible, not yours" into 403.
 */
import { HttpError } from "../fresh/mod.ts";
import { isUuid } from "../ids.ts";
import type { Claims, Db, Query } from "../db/types.ts";
import { FieldProblem } from "../http/form_failure.ts";
import type { CourseInput } from "./input.ts";
import type { Instructor } from "../catalog.ts";

export type CourseStatus = "draft" | "published";

export interface TeachingCourse {
  id: string;
  code: string;
  title: string;
  subject: string;
  grade_level: string;
  status: CourseStatus;
  capacity: number;
  enrolled: number;
  modules: number;
  lessons: number;
}

export interface TeachingList {
  courses: TeachingCourse[];
  total: number;
  page: number;
  limit: number;
}

/** The courses the caller may change (a teacher's own, every course for an admin), drafts first. */
export async function listTeaching(
  db: Db,
  claims: Claims,
  page = 1,
  limit = 50,
): Promise<TeachingList> {
  const rows = await db.asUser(claims, (q) =>
    q<TeachingCourse & { total: number }>(
      `select c.id, c.code, c.title, c.subject, c.grade_level, c.status::text as status, c.capacity,
              (select count(*)::int from public.enrollments e
                where e.tenant_id = c.tenant_id and e.course_id = c.id and e.status <> 'withdrawn') as enrolled,
              (select count(*)::int from public.modules m
                where m.tenant_id = c.tenant_id and m.course_id = c.id) as modules,
              (select count(*)::int from public.lessons l
                where l.tenant_id = c.tenant_id and l.course_id = c.id) as lessons,
              count(*) over ()::int as total
         from public.courses c
        where c.id in (select private.editable_course_ids())
        order by c.status, lower(c.title), c.id
        limit $1 offset $2`,
      [limit, (page - 1) * limit],
    ));
  return {
    courses: rows.map(({ total: _, ...course }) => numbers(course)),
    total: rows.length ? Number(rows[0].total) : 0,
    page,
    limit,
  };
}

export interface EditableCourse {
  id: string;
  tenant_id: string;
  code: string;
  title: string;
  subject: string;
  grade_level: string;
  description: string;
  capacity: number;
  status: CourseStatus;
  enrolled: number;
}

export const NOT_YOURS = "Only the course's instructors and the school's admins can change it.";

/**
 * The course, inside the caller's transaction, if they may change it: 404 when they cannot see
 * it (unknown, another school's, someone else's draft, not an id), 403 when they can but it is
 * not theirs to change.
 */
export async function editableCourse(q: Query, courseId: string): Promise<EditableCourse> {
  if (!isUuid(courseId)) throw new HttpError(404, "Course not found.");
  const [row] = await q<EditableCourse & { editable: boolean }>(
    `select c.id, c.tenant_id, c.code, c.title, c.subject, c.grade_level, c.description, c.capacity,
            c.status::text as status,
            (select count(*)::int from public.enrollments e
              where e.tenant_id = c.tenant_id and e.course_id = c.id and e.status <> 'withdrawn') as enrolled,
            c.id in (select private.editable_course_ids()) as editable
       from public.courses c
      where c.id = $1`,
    [courseId],
  );
  if (!row) throw new HttpError(404, "Course not found.");
  if (!row.editable) throw new HttpError(403, NOT_YOURS);
  const { editable: _, ...course } = row;
  return numbers(course);
}

/**
 * Runs `work` in one transaction after checking the caller may change the course. An error of
 * ours thrown inside (HttpError 404/403, a form's refusal) rolls the transaction back and comes
 * out as itself.
 */
export function withEditableCourse<T>(
  db: Db,
  claims: Claims,
  courseId: string,
  work: (q: Query, course: EditableCourse) => Promise<T>,
): Promise<T> {
  return db.asUser(claims, async (q) => work(q, await editableCourse(q, courseId)));
}

/** Creates a draft course through public.create_course (a teacher becomes its instructor). */
export async function createCourse(db: Db, claims: Claims, input: CourseInput): Promise<string> {
  const [row] = await db.asUser(claims, (q) =>
    q<{ id: string }>(
      "select public.create_course($1, $2, $3, $4, $5, $6) as id",
      [
        input.code,
        input.title,
        input.subject,
        input.grade_level,
        input.description,
        input.capacity,
      ],
    ));
  return row.id;
}

export interface CourseRef {
  id: string;
  code: string;
  title: string;
}

export interface LessonSummary {
  id: string;
  title: string;
  kind: "text" | "pdf" | "video";
  position: number;
  duration_seconds: number;
  byte_size: number | null;
}

export interface ModuleWithLessons {
  id: string;
  title: string;
  position: number;
  lessons: LessonSummary[];
}

export interface CourseEditor {
  course: EditableCourse;
  /** Who teaches it, by name. */
  instructors: Instructor[];
  /** For the school's admins, the teachers they could add; null for instructors. */
  candidates: Instructor[] | null;
  prerequisites: CourseRef[];
  modules: ModuleWithLessons[];
}

/** Everything the course editor shows, for someone who may change the course. */
export async function courseEditor(
  db: Db,
  claims: Claims,
  courseId: string,
): Promise<CourseEditor> {
  return await withEditableCourse(db, claims, courseId, async (q, course) => {
    const prerequisites = await q<CourseRef>(
      `select p.id, p.code, p.title
         from public.course_prerequisites cp
         join public.courses p on p.tenant_id = cp.tenant_id and p.id = cp.prerequisite_id
        where cp.course_id = $1
        order by p.code`,
      [courseId],
    );
    const modules = await modulesWithLessons(q, courseId);
    const instructors = await instructorsOf(q, courseId);
    // Only admins are offered the form; the database still decides who may add (RLS).
    const candidates = claims.app_metadata.user_role === "admin"
      ? await instructorCandidates(q, courseId)
      : null;
    return { course, instructors, candidates, prerequisites, modules };
  });
}

/** The course's instructors by name, as the catalog's card lists them. */
async function instructorsOf(q: Query, courseId: string): Promise<Instructor[]> {
  const [row] = await q<{ instructors: Instructor[] | string }>(
    "select instructors from private.course_cards(array[$1::uuid])",
    [courseId],
  );
  if (!row) return [];
  return typeof row.instructors === "string" ? JSON.parse(row.instructors) : row.instructors;
}

/** The school's teachers who could be added (not disabled, not teaching it yet), by name. */
async function instructorCandidates(q: Query, courseId: string): Promise<Instructor[]> {
  return await q<Instructor>(
    `select p.id, p.full_name as name
       from public.people p
      where p.role = 'teacher' and p.status <> 'disabled'
        and not exists (select from public.course_instructors ci
                         where ci.course_id = $1 and ci.teacher_id = p.id)
      order by p.full_name, p.id`,
    [courseId],
  );
}

/** The course's modules in order, each with its lessons in order. */
export async function modulesWithLessons(
  q: Query,
  courseId: string,
  moduleId?: string,
): Promise<ModuleWithLessons[]> {
  const rows = await q<{ id: string; title: string; position: number; lessons: unknown }>(
    `select m.id, m.title, m.position,
            coalesce((
              select jsonb_agg(jsonb_build_object(
                       'id', l.id, 'title', l.title, 'kind', l.kind, 'position', l.position,
                       'duration_seconds', l.duration_seconds, 'byte_size', l.byte_size)
                     order by l.position, l.id)
                from public.lessons l
               where l.tenant_id = m.tenant_id and l.course_id = m.course_id and l.module_id = m.id
            ), '[]'::jsonb) as lessons
       from public.modules m
      where m.course_id = $1 and ($2::uuid is null or m.id = $2::uuid)
      order by m.position, m.id`,
    [courseId, moduleId ?? null],
  );
  return rows.map((m) => ({
    id: m.id,
    title: m.title,
    position: Number(m.position),
    lessons:
      ((typeof m.lessons === "string" ? JSON.parse(m.lessons) : m.lessons) as LessonSummary[])
        .map((l) => ({ ...l, byte_size: l.byte_size === null ? null : Number(l.byte_size) })),
  }));
}

export interface PrerequisiteChange {
  /** The prerequisites to keep (the ticked boxes); any other is removed. */
  keep: string[];
  /** A course code to add as a prerequisite, if any. */
  add?: string;
}

/** Saves the details and the prerequisites together: all of it, or (on any refusal) none. */
export async function updateCourse(
  db: Db,
  claims: Claims,
  courseId: string,
  input: CourseInput,
  prerequisites: PrerequisiteChange,
): Promise<void> {
  await withEditableCourse(db, claims, courseId, async (q) => {
    await q(
      `update public.courses
          set code = $2, title = $3, subject = $4, grade_level = $5, description = $6, capacity = $7
        where id = $1`,
      [
        courseId,
        input.code,
        input.title,
        input.subject,
        input.grade_level,
        input.description,
        input.capacity,
      ],
    );
    await q(
      `delete from public.course_prerequisites
        where course_id = $1 and not (prerequisite_id = any($2::uuid[]))`,
      [courseId, prerequisites.keep.filter(isUuid)],
    );
    if (prerequisites.add) {
      const [required] = await q<{ id: string }>(
        "select id from public.courses where code = $1",
        [prerequisites.add],
      );
      if (!required) {
        throw new FieldProblem(
          422,
          "add_prerequisite",
          `No course of your school that you can see has the code ${prerequisites.add}.`,
        );
      }
      if (required.id === courseId) {
        throw new FieldProblem(422, "add_prerequisite", "A course cannot require itself.");
      }
      await q(
        `insert into public.course_prerequisites (tenant_id, course_id, prerequisite_id)
         select c.tenant_id, c.id, $2 from public.courses c where c.id = $1
         on conflict do nothing`,
        [courseId, required.id],
      );
    }
  });
}

/** Publishes or unpublishes (the database refuses publishing a course without lessons). */
export async function setCourseStatus(
  db: Db,
  claims: Claims,
  courseId: string,
  status: CourseStatus,
): Promise<void> {
  await withEditableCourse(db, claims, courseId, async (q) => {
    await q("update public.courses set status = $2 where id = $1", [courseId, status]);
  });
}

/** int columns are numbers from both drivers, but counts may be strings: make them numbers. */
function numbers<T extends { capacity: number; enrolled: number }>(row: T): T {
  const out = { ...row, capacity: Number(row.capacity), enrolled: Number(row.enrolled) };
  for (const key of ["modules", "lessons"] as const) {
    if (key in out) {
      (out as Record<string, unknown>)[key] = Number((out as Record<string, unknown>)[key]);
    }
  }
  return out;
}
