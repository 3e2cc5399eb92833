import { define } from "../../../../../../lib/state.ts";
import { page } from "../../../../../../lib/fresh/mod.ts";
import {
  deleteLesson,
  type LessonEditor,
  lessonEditor,
} from "../../../../../../lib/teaching/content.ts";
import { removeStoredFiles } from "../../../../../../lib/teaching/files.ts";
import { formFailure } from "../../../../../../lib/http/form_failure.ts";
import { Messages } from "../../../../../../components/Messages.tsx";
import { Breadcrumbs } from "../../../(_components)/Breadcrumbs.tsx";
import { dangerButtonClass } from "../../../(_components)/Fields.tsx";

interface ConfirmData extends LessonEditor {
  error?: string;
}

/** "Delete lesson": GET asks to confirm, POST deletes (and then its file). */
export const handler = define.handlers({
  async GET(ctx) {
    const { courseId, lessonId } = ctx.params;
    return page<ConfirmData>(
      await lessonEditor(ctx.state.db, ctx.state.session!, courseId, lessonId),
    );
  },
  async POST(ctx) {
    const { db, session, storage } = ctx.state;
    const { courseId, lessonId } = ctx.params;
    let removed;
    try {
      removed = await deleteLesson(db, session!, courseId, lessonId);
    } catch (error) {
      const failure = formFailure(error, []);
      const editor = await lessonEditor(db, session!, courseId, lessonId);
      return page<ConfirmData>({ ...editor, error: failure.error }, { status: failure.status });
    }
    await removeStoredFiles(storage, [removed.storage_path], ctx.state.requestId);
    return ctx.redirect(
      `/portal/teach/${courseId}/modules/${removed.module_id}?done=lesson-deleted#lessons`,
    );
  },
});

export default define.page<typeof handler>(({ data }) => {
  const { course, lesson } = data;
  return (
    <section class="max-w-prose space-y-4">
      <Breadcrumbs course={course} module={{ id: lesson.module_id, title: lesson.module_title }} />
      <h1 class="text-2xl font-bold">Delete the lesson “{lesson.title}”?</h1>
      <Messages error={data.error} />
      <p>
        {lesson.storage_path ? "Its file goes with it, and so does" : "With it goes"}{" "}
        students' progress on it. This cannot be undone.
      </p>
      <form method="post" class="flex flex-wrap items-center gap-4">
        <button type="submit" class={dangerButtonClass}>Delete the lesson</button>
        <a
          href={`/portal/teach/${course.id}/lessons/${lesson.id}`}
          class="text-emerald-800 underline"
        >
          Keep it
        </a>
      </form>
    </section>
  );
});
