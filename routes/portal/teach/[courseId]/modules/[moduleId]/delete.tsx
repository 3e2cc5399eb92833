import { define } from "../../../../../../lib/state.ts";
import { page } from "../../../../../../lib/fresh/mod.ts";
import {
  deleteModule,
  type ModuleEditor,
  moduleEditor,
} from "../../../../../../lib/teaching/content.ts";
import { formFailure } from "../../../../../../lib/http/form_failure.ts";
import { Messages } from "../../../../../../components/Messages.tsx";
import { Breadcrumbs } from "../../../(_components)/Breadcrumbs.tsx";
import { dangerButtonClass } from "../../../(_components)/Fields.tsx";
import { removeStoredFiles } from "../../../../../../lib/teaching/files.ts";

interface ConfirmData extends ModuleEditor {
  error?: string;
}

/** "Delete module": GET asks to confirm (it takes its lessons with it), POST deletes. */
export const handler = define.handlers({
  async GET(ctx) {
    const { courseId, moduleId } = ctx.params;
    return page<ConfirmData>(
      await moduleEditor(ctx.state.db, ctx.state.session!, courseId, moduleId),
    );
  },
  async POST(ctx) {
    const { db, session } = ctx.state;
    const { courseId, moduleId } = ctx.params;
    let files: string[];
    try {
      files = await deleteModule(db, session!, courseId, moduleId);
    } catch (error) {
      const failure = formFailure(error, []);
      const editor = await moduleEditor(db, session!, courseId, moduleId);
      return page<ConfirmData>({ ...editor, error: failure.error }, { status: failure.status });
    }
    await removeStoredFiles(ctx.state.storage, files, ctx.state.requestId);
    return ctx.redirect(`/portal/teach/${courseId}?done=module-deleted#modules`);
  },
});

export default define.page<typeof handler>(({ data }) => {
  const { course, module } = data;
  const lessons = module.lessons.length;
  return (
    <section class="max-w-prose space-y-4">
      <Breadcrumbs course={course} module={module} />
      <h1 class="text-2xl font-bold">Delete the module “{module.title}”?</h1>
      <Messages error={data.error} />
      <p>
        {lessons === 0
          ? "It has no lessons."
          : `Its ${
            lessons === 1 ? "lesson goes" : `${lessons} lessons go`
          } with it, with their files and students' progress on them.`} This cannot be undone.
      </p>
      <form method="post" class="flex flex-wrap items-center gap-4">
        <button type="submit" class={dangerButtonClass}>Delete the module</button>
        <a
          href={`/portal/teach/${course.id}/modules/${module.id}`}
          class="text-emerald-800 underline"
        >
          Keep it
        </a>
      </form>
    </section>
  );
});
