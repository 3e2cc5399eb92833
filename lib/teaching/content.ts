/**
 * Teaching tools, module and lesson level: add, rename, move and remove modules; add, edit, move
 * and remove lessons. Every call first checks the caller may change the course (404/403, see
 * ./courses.ts) and that the module or lesson belongs to that course (404), then lets the
 * database do the work under its policies: appends go to the end (a trigger), moves renumber
 * (public.move_module / public.move_lesson), a published course keeps at least one lesson.
 *
 * Functions that remove or replace a stored file return its path: the caller deletes it from
 * storage after the transaction has committed, never before (a rolled-back removal must still
 * find its file).
 */
import { HttpError } from "../fresh/mod.ts";
import { isUuid } from "../ids.ts";
import type { Claims, Db, Query } from "../db/types.ts";
import {
  type EditableCourse,
  modulesWithLessons,
  type ModuleWithLessons,
  withEditableCourse,
} from "./courses.ts";
import type { LessonInput, LessonKind, TextLessonInput } from "./input.ts";

/** A file already in storage, ready to be attached to a lesson row. */
export interface LessonFile {
  path: string;
  contentType: string;
  byteSize: number;
}

export async function addModule(db: Db, claims: Claims, courseId: string, title: string) {
  return await withEditableCourse(db, claims, courseId, async (q) => {
    const [row] = await q<{ id: string }>(
      `insert into public.modules (tenant_id, course_id, title)
       select c.tenant_id, c.id, $2 from public.courses c where c.id = $1
       returning id`,
      [courseId, title],
    );
    return row.id;
  });
}

/** The module of this course (inside the caller's transaction), else 404. */
async function moduleOf(q: Query, courseId: string, moduleId: string) {
  if (!isUuid(moduleId)) throw new HttpError(404, "Module not found.");
  const [row] = await q<{ id: string; title: string; position: number }>(
    "select id, title, position from public.modules where id = $1 and course_id = $2",
    [moduleId, courseId],
  );
  if (!row) throw new HttpError(404, "Module not found.");
  return row;
}

export interface ModuleEditor {
  course: EditableCourse;
  module: ModuleWithLessons;
  /** How many modules the course has (for the move buttons). */
  moduleCount: number;
}

export async function moduleEditor(
  db: Db,
  claims: Claims,
  courseId: string,
  moduleId: string,
): Promise<ModuleEditor> {
  return await withEditableCourse(db, claims, courseId, async (q, course) => {
    await moduleOf(q, courseId, moduleId);
    const [module] = await modulesWithLessons(q, courseId, moduleId);
    const [{ count }] = await q<{ count: number }>(
      "select count(*)::int as count from public.modules where course_id = $1",
      [courseId],
    );
    return { course, module, moduleCount: Number(count) };
  });
}

export async function renameModule(
  db: Db,
  claims: Claims,
  courseId: string,
  moduleId: string,
  title: string,
): Promise<void> {
  await withEditableCourse(db, claims, courseId, async (q) => {
    await moduleOf(q, courseId, moduleId);
    await q("update public.modules set title = $2 where id = $1", [moduleId, title]);
  });
}

export async function moveModule(
  db: Db,
  claims: Claims,
  courseId: string,
  moduleId: string,
  position: number,
): Promise<void> {
  await withEditableCourse(db, claims, courseId, async (q) => {
    await moduleOf(q, courseId, moduleId);
    await q("select public.move_module($1, $2)", [moduleId, position]);
  });
}

/** Removes a module with its lessons; returns the paths of their stored files. */
export async function deleteModule(
  db: Db,
  claims: Claims,
  courseId: string,
  moduleId: string,
): Promise<string[]> {
  return await withEditableCourse(db, claims, courseId, async (q) => {
    await moduleOf(q, courseId, moduleId);
    const files = await q<{ storage_path: string }>(
      "select storage_path from public.lessons where module_id = $1 and storage_path is not null",
      [moduleId],
    );
    await q("delete from public.modules where id = $1", [moduleId]);
    return files.map((f) => f.storage_path);
  });
}

export interface EditableLesson {
  id: string;
  module_id: string;
  module_title: string;
  title: string;
  kind: LessonKind;
  position: number;
  duration_seconds: number;
  body: string | null;
  storage_path: string | null;
  content_type: string | null;
  byte_size: number | null;
}

async function lessonOf(q: Query, courseId: string, lessonId: string): Promise<EditableLesson> {
  if (!isUuid(lessonId)) throw new HttpError(404, "Lesson not found.");
  const [row] = await q<EditableLesson>(
    `select l.id, l.module_id, m.title as module_title, l.title, l.kind::text as kind, l.position,
            l.duration_seconds, l.body, l.storage_path, l.content_type, l.byte_size
       from public.lessons l
       join public.modules m on m.tenant_id = l.tenant_id and m.course_id = l.course_id and m.id = l.module_id
      where l.id = $1 and l.course_id = $2`,
    [lessonId, courseId],
  );
  if (!row) throw new HttpError(404, "Lesson not found.");
  return {
    ...row,
    position: Number(row.position),
    duration_seconds: Number(row.duration_seconds),
    byte_size: row.byte_size === null ? null : Number(row.byte_size),
  };
}

export interface LessonEditor {
  course: EditableCourse;
  lesson: EditableLesson;
  /** How many lessons its module has (for the move buttons). */
  lessonCount: number;
  /** The course's modules in order (where the lesson may move to). */
  modules: { id: string; title: string }[];
  /** A video lesson's streaming versions (public.lesson_video_status); null otherwise. */
  video: VideoStatus | null;
}

/** The latest transcoding job of a video lesson's current file, as its editors see it. */
export interface VideoStatus {
  status: "queued" | "running" | "done" | "failed" | "dead";
  attempts: number;
  last_error: string | null;
}

export async function lessonEditor(
  db: Db,
  claims: Claims,
  courseId: string,
  lessonId: string,
): Promise<LessonEditor> {
  return await withEditableCourse(db, claims, courseId, async (q, course) => {
    const lesson = await lessonOf(q, courseId, lessonId);
    const [{ count }] = await q<{ count: number }>(
      "select count(*)::int as count from public.lessons where module_id = $1",
      [lesson.module_id],
    );
    const modules = await q<{ id: string; title: string }>(
      "select id, title from public.modules where course_id = $1 order by position, id",
      [courseId],
    );
    const [video] = lesson.kind === "video"
      ? await q<VideoStatus>(
        "select status, attempts, last_error from public.lesson_video_status($1)",
        [lessonId],
      )
      : [];
    return {
      course,
      lesson,
      lessonCount: Number(count),
      modules,
      video: video ? { ...video, attempts: Number(video.attempts) } : null,
    };
  });
}

/** Checks, in its own short transaction, that the caller may add a lesson to this module. */
export async function assertModuleEditable(
  db: Db,
  claims: Claims,
  courseId: string,
  moduleId: string,
): Promise<{ course: EditableCourse; module: { id: string; title: string } }> {
  return await withEditableCourse(db, claims, courseId, async (q, course) => ({
    course,
    module: await moduleOf(q, courseId, moduleId),
  }));
}

/** Checks that the caller may change this lesson, and returns it. */
export async function assertLessonEditable(
  db: Db,
  claims: Claims,
  courseId: string,
  lessonId: string,
): Promise<EditableLesson> {
  return await withEditableCourse(db, claims, courseId, (q) => lessonOf(q, courseId, lessonId));
}

/** Adds a lesson at the end of the module: a text lesson with its body, or a file lesson. */
export async function addLesson(
  db: Db,
  claims: Claims,
  courseId: string,
  moduleId: string,
  input: LessonInput & Partial<Pick<TextLessonInput, "body">>,
  kind: LessonKind,
  file?: LessonFile,
): Promise<string> {
  return await withEditableCourse(db, claims, courseId, async (q) => {
    await moduleOf(q, courseId, moduleId);
    const [row] = await q<{ id: string }>(
      `insert into public.lessons (tenant_id, course_id, module_id, title, kind, duration_seconds,
                                   body, storage_path, content_type, byte_size)
       select m.tenant_id, m.course_id, m.id, $2, $3::public.lesson_kind, $4, $5, $6, $7, $8
         from public.modules m where m.id = $1
       returning id`,
      [
        moduleId,
        input.title,
        kind,
        input.duration_minutes * 60,
        kind === "text" ? input.body ?? "" : null,
        file?.path ?? null,
        file?.contentType ?? null,
        file?.byteSize ?? null,
      ],
    );
    return row.id;
  });
}

/**
 * Saves a lesson's title, duration and (text) body, or attaches a new file to a file lesson.
 * Returns the path of the file it replaced, for the caller to delete after this commit.
 */
export async function updateLesson(
  db: Db,
  claims: Claims,
  courseId: string,
  lessonId: string,
  input: LessonInput & Partial<Pick<TextLessonInput, "body">>,
  file?: LessonFile,
): Promise<string | null> {
  return await withEditableCourse(db, claims, courseId, async (q) => {
    const lesson = await lessonOf(q, courseId, lessonId);
    await q(
      `update public.lessons
          set title = $2, duration_seconds = $3,
              body = case when kind = 'text' then $4 else body end,
              storage_path = coalesce($5, storage_path),
              content_type = coalesce($6, content_type),
              byte_size = coalesce($7, byte_size)
        where id = $1`,
      [
        lessonId,
        input.title,
        input.duration_minutes * 60,
        input.body ?? lesson.body,
        file?.path ?? null,
        file?.contentType ?? null,
        file?.byteSize ?? null,
      ],
    );
    return file && lesson.storage_path !== file.path ? lesson.storage_path : null;
  });
}

export async function moveLesson(
  db: Db,
  claims: Claims,
  courseId: string,
  lessonId: string,
  position: number,
): Promise<EditableLesson> {
  return await withEditableCourse(db, claims, courseId, async (q) => {
    const lesson = await lessonOf(q, courseId, lessonId);
    await q("select public.move_lesson($1, $2)", [lessonId, position]);
    return lesson;
  });
}

/**
 * Moves a lesson to the end of another module of the course (public.move_lesson_to_module); the
 * module it left is numbered again. Returns the lesson as it was.
 */
export async function moveLessonToModule(
  db: Db,
  claims: Claims,
  courseId: string,
  lessonId: string,
  moduleId: string,
): Promise<EditableLesson> {
  if (!isUuid(moduleId)) throw new HttpError(400, "Choose a module.");
  return await withEditableCourse(db, claims, courseId, async (q) => {
    const lesson = await lessonOf(q, courseId, lessonId);
    await q("select public.move_lesson_to_module($1, $2)", [lessonId, moduleId]);
    return lesson;
  });
}

/** Queues the video's transcoding again once the worker gave up (public.retry_video_job). */
export async function retryVideo(
  db: Db,
  claims: Claims,
  courseId: string,
  lessonId: string,
): Promise<void> {
  await withEditableCourse(db, claims, courseId, async (q) => {
    await lessonOf(q, courseId, lessonId);
    await q("select public.retry_video_job($1)", [lessonId]);
  });
}

/** Removes a lesson; returns its stored file's path (if any) and its module. */
export async function deleteLesson(
  db: Db,
  claims: Claims,
  courseId: string,
  lessonId: string,
): Promise<EditableLesson> {
  return await withEditableCourse(db, claims, courseId, async (q) => {
    const lesson = await lessonOf(q, courseId, lessonId);
    await q("delete from public.lessons where id = $1", [lessonId]);
    return lesson;
  });
}
