/**
 * LMS-2 content reads and writes shared by `/api/content/*` and the lesson page. The database
 * decides: `public.content_course_id()` answers 404 (not visible) or 403 (visible, not yours to
 * open), the modules' and lessons' policies filter what is read, `public.complete_lesson()` and
 * `public.record_lesson_view()` write. File URLs are signed after the transaction, so no network
 * or disk I/O ever runs inside one.
 */
import type { Claims, Db } from "./db/types.ts";
import { DbError, httpFailureFor } from "./db/errors.ts";
import { myEnrollments } from "./enrollment.ts";
import type { FileStorage } from "./storage/types.ts";
import { hlsPrefixColumn, hlsUrlFor, videoTtlSeconds } from "./video/renditions.ts";

export type LessonKind = "video" | "pdf" | "text";

export interface Progress {
  lessonsTotal: number;
  lessonsCompleted: number;
  percent: number;
}

export interface ModuleSummary {
  id: string;
  title: string;
  position: number;
  lessons: number;
  completed: number;
}

export interface CourseRef {
  id: string;
  code: string;
  title: string;
}

const progressOf = (total: number, done: number): Progress => ({
  lessonsTotal: total,
  lessonsCompleted: done,
  percent: total === 0 ? 0 : Math.floor((done * 100) / total),
});

/** A course's modules in order with lesson counts and how many the caller completed. */
export async function courseModules(db: Db, claims: Claims, courseId: string) {
  return await db.asUser(claims, async (q) => {
    await q("select public.content_course_id($1)", [courseId]);
    const [course] = await q<CourseRef>(
      "select id, code, title from public.courses where id = $1",
      [courseId],
    );
    const modules = await q<ModuleSummary>(
      `select m.id, m.title, m.position, count(l.id)::int as lessons,
              count(x.lesson_id)::int as completed
         from public.modules m
         left join public.lessons l on l.tenant_id = m.tenant_id and l.module_id = m.id
         left join public.lesson_completions x
           on x.tenant_id = l.tenant_id and x.lesson_id = l.id and x.student_id = auth.uid()
        where m.course_id = $1
        group by m.id, m.title, m.position
        order by m.position, m.id`,
      [courseId],
    );
    const total = modules.reduce((n, m) => n + m.lessons, 0);
    const done = modules.reduce((n, m) => n + m.completed, 0);
    return { course, modules, progress: progressOf(total, done) };
  });
}

export interface OutlineLesson {
  id: string;
  title: string;
  kind: LessonKind;
  durationSeconds: number;
  completed: boolean;
}

/**
 * The course page's lesson list: modules with their lessons (title, kind, duration, the
 * caller's completion), or null when the caller may see the course but not open its lessons.
 */
export async function courseLessonOutline(
  db: Db,
  claims: Claims,
  courseId: string,
): Promise<{ id: string; title: string; position: number; lessons: OutlineLesson[] }[] | null> {
  try {
    return await db.asUser(claims, async (q) => {
      await q("select public.content_course_id($1)", [courseId]);
      return await q(
        `select m.id, m.title, m.position,
                coalesce(jsonb_agg(jsonb_build_object(
                  'id', l.id, 'title', l.title, 'kind', l.kind, 'durationSeconds', l.duration_seconds,
                  'completed', x.lesson_id is not null) order by l.position, l.id)
                  filter (where l.id is not null), '[]'::jsonb) as lessons
           from public.modules m
           left join public.lessons l on l.tenant_id = m.tenant_id and l.module_id = m.id
           left join public.lesson_completions x
             on x.tenant_id = l.tenant_id and x.lesson_id = l.id and x.student_id = auth.uid()
          where m.course_id = $1
          group by m.id, m.title, m.position
          order by m.position, m.id`,
        [courseId],
      );
    });
  } catch (error) {
    if (error instanceof DbError && httpFailureFor(error).status === 403) return null;
    throw error;
  }
}

export interface LessonRow {
  id: string;
  course_id: string;
  module_id: string;
  title: string;
  kind: LessonKind;
  position: number;
  duration_seconds: number;
  body: string | null;
  storage_path: string | null;
  content_type: string | null;
  byte_size: string | null;
  completed: boolean;
  /** Video lessons: where the HLS ladder of the current file is, once transcoded (lib/video). */
  hls_prefix: string | null;
}

const LESSON_COLUMNS = `l.id, l.course_id, l.module_id, l.title, l.kind::text as kind, l.position,
  l.duration_seconds, l.body, l.storage_path, l.content_type, l.byte_size::text as byte_size,
  exists (select from public.lesson_completions x
           where x.tenant_id = l.tenant_id and x.lesson_id = l.id and x.student_id = auth.uid())
    as completed,
  ${hlsPrefixColumn("l")}`;

export interface ModuleRef {
  id: string;
  title: string;
  position: number;
  course_id: string;
}

/** A module's lessons in order, with the caller's completion. */
export async function moduleLessons(db: Db, claims: Claims, moduleId: string) {
  return await db.asUser(claims, async (q) => {
    await q("select public.content_course_id(p_module_id => $1)", [moduleId]);
    const [module] = await q<ModuleRef>(
      "select id, title, position, course_id from public.modules where id = $1",
      [moduleId],
    );
    const lessons = await q<LessonRow>(
      `select ${LESSON_COLUMNS} from public.lessons l where l.module_id = $1
        order by l.position, l.id`,
      [moduleId],
    );
    return { module, lessons };
  });
}

export interface LessonLink {
  id: string;
  title: string;
}

/**
 * One lesson for its page: the lesson, its module and course, the lessons before and after it
 * in course order, and the progress of the caller (a student) or their enrolled children (a
 * parent). Opening it counts a view. Null when the lesson is not in `courseId`.
 */
export async function openLesson(db: Db, claims: Claims, courseId: string, lessonId: string) {
  const opened = await db.asUser(claims, async (q) => {
    const [{ course_id }] = await q<{ course_id: string }>(
      "select public.content_course_id(p_lesson_id => $1) as course_id",
      [lessonId],
    );
    if (course_id !== courseId) return null;
    const [lesson] = await q<LessonRow>(
      `select ${LESSON_COLUMNS} from public.lessons l where l.id = $1`,
      [lessonId],
    );
    const [context] = await q<{ course: CourseRef; module: ModuleRef }>(
      `select jsonb_build_object('id', c.id, 'code', c.code, 'title', c.title) as course,
              jsonb_build_object('id', m.id, 'title', m.title, 'position', m.position,
                                 'course_id', m.course_id) as module
         from public.modules m join public.courses c on c.tenant_id = m.tenant_id and c.id = m.course_id
        where m.id = $1`,
      [lesson.module_id],
    );
    const order = await q<LessonLink>(
      `select l.id, l.title from public.lessons l
         join public.modules m on m.tenant_id = l.tenant_id and m.id = l.module_id
        where l.course_id = $1
        order by m.position, m.id, l.position, l.id`,
      [courseId],
    );
    await q("select public.record_lesson_view($1)", [lessonId]);
    const at = order.findIndex((l) => l.id === lessonId);
    return {
      lesson,
      ...context,
      previous: order[at - 1] ?? null,
      next: order[at + 1] ?? null,
    };
  });
  if (!opened) return null;
  const progress = (await myEnrollments(db, claims))
    .filter((e) => e.course_id === courseId)
    .map((e) => ({
      studentId: e.student_id,
      studentName: e.student_name,
      ...progressOf(e.lessons_total, e.lessons_completed),
    }));
  return { ...opened, progress };
}

/** Counts a view of a lesson the caller may read (404/403 as content_course_id otherwise). */
export async function recordLessonView(db: Db, claims: Claims, lessonId: string) {
  const [{ views }] = await db.asUser(claims, async (q) => {
    await q("select public.content_course_id(p_lesson_id => $1)", [lessonId]);
    return await q<{ views: number }>("select public.record_lesson_view($1) as views", [lessonId]);
  });
  return views;
}

export interface CompletionResult {
  lessonId: string;
  created: boolean;
  enrollmentStatus: string;
  progress: Progress;
}

/** The signed-in student completes a lesson (public.complete_lesson: idempotent, EL403/EL404). */
export async function completeLesson(
  db: Db,
  claims: Claims,
  lessonId: string,
): Promise<CompletionResult> {
  const [{ result }] = await db.asUser(claims, (q) =>
    q<{
      result: {
        lesson_id: string;
        created: boolean;
        lessons_total: number;
        lessons_completed: number;
        enrollment_status: string;
      };
    }>("select public.complete_lesson($1) as result", [lessonId]));
  return {
    lessonId: result.lesson_id,
    created: result.created,
    enrollmentStatus: result.enrollment_status,
    progress: progressOf(result.lessons_total, result.lessons_completed),
  };
}

export interface LessonFiles {
  /** Plays or shows the file in the browser (15 minutes). */
  fileUrl: string;
  /** PDFs: the same file as an attachment named after the lesson. */
  downloadUrl?: string;
  /** Videos: the HLS master playlist of the lesson's ladder (lib/video), null until transcoded. */
  hlsUrl?: string | null;
}

/** "Cells: worksheet (PDF)" → "Cells - worksheet (PDF).pdf": a name every OS accepts. */
export function downloadName(title: string, contentType: string): string {
  const extension = contentType === "application/pdf" ? ".pdf" : "";
  const printable = [...title].filter((c) => c.charCodeAt(0) >= 0x20).join("");
  return `${printable.replace(/[\\/:*?"<>|]+/g, " -").replace(/\s+/g, " ").trim()}${extension}`;
}

/** Signed URLs for a video or PDF lesson; null for text lessons. */
export async function lessonFiles(
  storage: FileStorage,
  lesson: Pick<
    LessonRow,
    "kind" | "title" | "storage_path" | "content_type" | "hls_prefix" | "duration_seconds"
  >,
): Promise<LessonFiles | null> {
  if (lesson.kind === "text" || !lesson.storage_path) return null;
  if (lesson.kind === "video") {
    return {
      fileUrl: await storage.signedUrl(lesson.storage_path, {
        ttlSeconds: videoTtlSeconds(lesson.duration_seconds),
      }),
      hlsUrl: await hlsUrlFor(storage, lesson.hls_prefix, lesson.duration_seconds),
    };
  }
  return {
    fileUrl: await storage.signedUrl(lesson.storage_path),
    downloadUrl: await storage.signedUrl(lesson.storage_path, {
      downloadName: downloadName(lesson.title, lesson.content_type ?? "application/pdf"),
    }),
  };
}
