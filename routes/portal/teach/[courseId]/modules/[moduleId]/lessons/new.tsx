import { define, type State } from "../../../../../../../lib/state.ts";
import { HttpError, page, type RouteConfig } from "../../../../../../../lib/fresh/mod.ts";
import type { EditableCourse } from "../../../../../../../lib/teaching/courses.ts";
import { addLesson, assertModuleEditable } from "../../../../../../../lib/teaching/content.ts";
import {
  formValues,
  type LessonKind,
  TextLessonInput,
} from "../../../../../../../lib/teaching/input.ts";
import {
  FORM_OVERHEAD_BYTES,
  isFileKind,
  putLimits,
} from "../../../../../../../lib/teaching/upload_limits.ts";
import { discardUpload, receiveLessonUpload } from "../../../../../../../lib/teaching/upload.ts";
import { type FormFailure, formFailure } from "../../../../../../../lib/http/form_failure.ts";
import { Breadcrumbs } from "../../../../(_components)/Breadcrumbs.tsx";
import { KIND_TITLE, LessonForm, uploadOf } from "../../../../(_components)/LessonForms.tsx";
import { goTo, parseForm, refusalJson, wantsJson } from "../../../../(_components)/respond.ts";

/** A text lesson's form: 200,000 characters, percent-encoded, fit in 3 MB. */
export const TEXT_FORM_MAX_BYTES = 3 * 1024 * 1024;

/** Uploads stream in under their kind's limit (plus the form around the file), never buffered. */
export const config: RouteConfig<State> = {
  bodyLimitBytes: ({ url, state }) => {
    const kind = url.searchParams.get("kind");
    return isFileKind(kind)
      ? putLimits(kind, state.uploads).maxBytes + FORM_OVERHEAD_BYTES
      : TEXT_FORM_MAX_BYTES;
  },
};

interface NewLessonData {
  course: EditableCourse;
  module: { id: string; title: string };
  kind: LessonKind;
  values?: Record<string, string>;
  fieldErrors?: Record<string, string[]>;
  error?: string;
  upload?: { maxBytes: number; accept: string };
}

function kindOf(url: URL): LessonKind {
  const kind = url.searchParams.get("kind") ?? "text";
  if (kind !== "text" && !isFileKind(kind)) {
    throw new HttpError(404, "Choose a text, PDF or video lesson.");
  }
  return kind;
}

/**
 * "Add a lesson" to a module (?kind=text|pdf|video). Text lessons are a plain form; PDF and video
 * lessons upload their file as the form streams in, and the lesson row is written only once the
 * file is stored — a refused file (413, 415), a refused form or an interrupted upload leaves
 * neither a row nor a file.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const kind = kindOf(ctx.url);
    const { courseId, moduleId } = ctx.params;
    const { course, module } = await assertModuleEditable(
      ctx.state.db,
      ctx.state.session!,
      courseId,
      moduleId,
    );
    return page<NewLessonData>({ course, module, kind, upload: uploadOf(ctx.state, kind) });
  },
  async POST(ctx) {
    const kind = kindOf(ctx.url);
    const { db, session, storage } = ctx.state;
    const { courseId, moduleId } = ctx.params;
    // Before reading a byte: may this person add lessons here at all? (404/403)
    const { course, module } = await assertModuleEditable(db, session!, courseId, moduleId);
    const done = `/portal/teach/${courseId}/modules/${moduleId}?done=lesson-added`;
    const refuse = (failure: FormFailure, values: Record<string, string>) =>
      wantsJson(ctx.req) ? refusalJson(failure) : page<NewLessonData>({
        course,
        module,
        kind,
        values,
        fieldErrors: failure.fieldErrors,
        error: failure.error,
        upload: uploadOf(ctx.state, kind),
      }, { status: failure.status });

    if (kind === "text") {
      const values = formValues(await ctx.req.formData(), ["title", "duration_minutes", "body"]);
      const parsed = parseForm(TextLessonInput, values);
      if (!parsed.ok) return refuse(parsed.failure, values);
      try {
        await addLesson(db, session!, courseId, moduleId, parsed.data, "text");
      } catch (error) {
        return refuse(formFailure(error, ["title", "body"]), values);
      }
      return goTo(ctx.req, done);
    }

    const upload = await receiveLessonUpload(ctx.req, {
      storage,
      limits: ctx.state.uploads,
      kind,
      courseId,
      fileRequired: true,
    });
    if (!upload.ok) return refuse(upload.failure, upload.values);
    try {
      await addLesson(db, session!, courseId, moduleId, upload.input, kind, upload.file);
    } catch (error) {
      await discardUpload(storage, upload.file);
      return refuse(formFailure(error, ["title"]), upload.values);
    }
    return goTo(ctx.req, done);
  },
});

export default define.page<typeof handler>(({ data, url }) => (
  <section class="max-w-prose space-y-6">
    <Breadcrumbs course={data.course} module={data.module} />
    <h1 class="text-2xl font-bold">Add a {KIND_TITLE[data.kind]}</h1>
    <LessonForm
      kind={data.kind}
      action={`${url.pathname}?kind=${data.kind}`}
      submitLabel="Add the lesson"
      form={{ values: data.values, fieldErrors: data.fieldErrors }}
      error={data.error}
      upload={data.upload}
    />
  </section>
));
