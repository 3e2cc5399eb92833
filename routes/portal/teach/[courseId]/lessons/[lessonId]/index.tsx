import { define, type State } from "../../../../../../lib/state.ts";
import { page, type RouteConfig } from "../../../../../../lib/fresh/mod.ts";
import {
  assertLessonEditable,
  type LessonEditor,
  lessonEditor,
  updateLesson,
} from "../../../../../../lib/teaching/content.ts";
import { formValues, TextLessonInput } from "../../../../../../lib/teaching/input.ts";
import {
  FORM_OVERHEAD_BYTES,
  isFileKind,
  putLimits,
} from "../../../../../../lib/teaching/upload_limits.ts";
import { discardUpload, receiveLessonUpload } from "../../../../../../lib/teaching/upload.ts";
import { removeStoredFiles } from "../../../../../../lib/teaching/files.ts";
import { type FormFailure, formFailure } from "../../../../../../lib/http/form_failure.ts";
import { formatBytes } from "../../../../../../lib/storage/receive.ts";
import { Messages } from "../../../../../../components/Messages.tsx";
import { Breadcrumbs } from "../../../(_components)/Breadcrumbs.tsx";
import { KIND_TITLE, LessonForm, uploadOf } from "../../../(_components)/LessonForms.tsx";
import { MoveButtons } from "../../../(_components)/MoveButtons.tsx";
import { MoveToModule } from "../../../(_components)/MoveToModule.tsx";
import { VideoStatusNote } from "../../../(_components)/VideoStatus.tsx";
import {
  goTo,
  noticeFor,
  parseForm,
  refusalJson,
  wantsJson,
} from "../../../(_components)/respond.ts";

/** The form posts to `?kind=<pdf|video>` for file lessons: their upload streams in under that limit. */
export const config: RouteConfig<State> = {
  bodyLimitBytes: ({ url, state }) => {
    const kind = url.searchParams.get("kind");
    return isFileKind(kind)
      ? putLimits(kind, state.uploads).maxBytes + FORM_OVERHEAD_BYTES
      : 3 * 1024 * 1024;
  },
};

interface LessonPageData extends LessonEditor {
  notice?: string;
  error?: string;
  values?: Record<string, string>;
  fieldErrors?: Record<string, string[]>;
  upload?: { maxBytes: number; accept: string };
  /** A signed, expiring link to the lesson's file, to check what students get. */
  fileUrl?: string;
}

const NOTICES: Record<string, string> = {
  saved: "Lesson saved.",
  "video-retried": "The video worker will try again.",
};

async function pageData(state: State, courseId: string, lessonId: string) {
  const editor = await lessonEditor(state.db, state.session!, courseId, lessonId);
  const path = editor.lesson.storage_path;
  return {
    ...editor,
    upload: uploadOf(state, editor.lesson.kind),
    fileUrl: path ? await state.storage.signedUrl(path, { ttlSeconds: 900 }) : undefined,
  };
}

/**
 * Edit a lesson: title, length and text; a PDF or video lesson may get a new file, stored
 * before the row changes — the old file is deleted only after the change has committed.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const { courseId, lessonId } = ctx.params;
    return page<LessonPageData>({
      ...await pageData(ctx.state, courseId, lessonId),
      notice: noticeFor(ctx.url, NOTICES),
    });
  },
  async POST(ctx) {
    const { db, session, storage } = ctx.state;
    const { courseId, lessonId } = ctx.params;
    const lesson = await assertLessonEditable(db, session!, courseId, lessonId);
    const done = `/portal/teach/${courseId}/lessons/${lessonId}?done=saved`;
    const refuse = async (failure: FormFailure, values: Record<string, string>) =>
      wantsJson(ctx.req) ? refusalJson(failure) : page<LessonPageData>({
        ...await pageData(ctx.state, courseId, lessonId),
        values,
        fieldErrors: failure.fieldErrors,
        error: failure.error,
      }, { status: failure.status });

    if (!isFileKind(lesson.kind)) {
      const values = formValues(await ctx.req.formData(), ["title", "duration_minutes", "body"]);
      const parsed = parseForm(TextLessonInput, values);
      if (!parsed.ok) return await refuse(parsed.failure, values);
      try {
        await updateLesson(db, session!, courseId, lessonId, parsed.data);
      } catch (error) {
        return await refuse(formFailure(error, ["title", "body"]), values);
      }
      return goTo(ctx.req, done);
    }

    const upload = await receiveLessonUpload(ctx.req, {
      storage,
      limits: ctx.state.uploads,
      kind: lesson.kind,
      courseId,
      fileRequired: false,
    });
    if (!upload.ok) return await refuse(upload.failure, upload.values);
    let replaced: string | null;
    try {
      replaced = await updateLesson(db, session!, courseId, lessonId, upload.input, upload.file);
    } catch (error) {
      await discardUpload(storage, upload.file);
      return await refuse(formFailure(error, ["title"]), upload.values);
    }
    await removeStoredFiles(storage, [replaced], ctx.state.requestId);
    return goTo(ctx.req, done);
  },
});

export default define.page<typeof handler>(({ data }) => {
  const { course, lesson } = data;
  const base = `/portal/teach/${course.id}`;
  const module = { id: lesson.module_id, title: lesson.module_title };
  const currentFile = lesson.byte_size !== null
    ? `${lesson.kind === "pdf" ? "PDF" : "video"} · ${formatBytes(lesson.byte_size)}`
    : undefined;
  return (
    <section class="max-w-prose space-y-6">
      <Breadcrumbs course={course} module={module} />
      <p class="text-sm font-semibold uppercase tracking-wide text-emerald-800">
        {KIND_TITLE[lesson.kind]} {lesson.position} of {data.lessonCount}
      </p>
      <h1 class="text-2xl font-bold">{lesson.title}</h1>
      <Messages notice={data.notice} />
      <p class="flex flex-wrap items-center gap-3">
        <MoveButtons
          action={`${base}/lessons/${lesson.id}/move`}
          place={lesson.position}
          count={data.lessonCount}
          label={lesson.title}
        />
        {data.fileUrl && (
          <a href={data.fileUrl} class="text-emerald-800 underline">Open the current file</a>
        )}
        <a href={`${base}/lessons/${lesson.id}/delete`} class="text-red-800 underline">
          Delete this lesson
        </a>
      </p>
      <VideoStatusNote
        video={data.video}
        retryAction={`${base}/lessons/${lesson.id}/retry-video`}
      />
      <MoveToModule
        action={`${base}/lessons/${lesson.id}/module`}
        modules={data.modules.filter((m) => m.id !== lesson.module_id)}
      />
      <LessonForm
        kind={lesson.kind}
        action={`${base}/lessons/${lesson.id}${
          isFileKind(lesson.kind) ? `?kind=${lesson.kind}` : ""
        }`}
        submitLabel="Save the lesson"
        form={{ values: data.values, fieldErrors: data.fieldErrors }}
        error={data.error}
        upload={data.upload}
        currentFile={currentFile}
        lesson={{
          title: lesson.title,
          duration_minutes: Math.round(lesson.duration_seconds / 60),
          body: lesson.body,
        }}
      />
    </section>
  );
});
