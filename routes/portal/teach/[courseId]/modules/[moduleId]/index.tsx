import { define } from "../../../../../../lib/state.ts";
import { page } from "../../../../../../lib/fresh/mod.ts";
import { formValues, ModuleInput } from "../../../../../../lib/teaching/input.ts";
import { moduleEditor, renameModule } from "../../../../../../lib/teaching/content.ts";
import { formFailure } from "../../../../../../lib/http/form_failure.ts";
import { ModulePage, type ModulePageData } from "../../../(_components)/ModulePage.tsx";
import { noticeFor, parseForm } from "../../../(_components)/respond.ts";

const NOTICES: Record<string, string> = {
  renamed: "Module renamed.",
  "lesson-added": "Lesson added.",
  "lesson-moved": "Lesson moved.",
  "lesson-deleted": "Lesson deleted.",
};

/** A module: GET shows its lessons, POST renames it. */
export const handler = define.handlers({
  async GET(ctx) {
    const { courseId, moduleId } = ctx.params;
    const editor = await moduleEditor(ctx.state.db, ctx.state.session!, courseId, moduleId);
    return page<ModulePageData>({ ...editor, notice: noticeFor(ctx.url, NOTICES) });
  },
  async POST(ctx) {
    const { db, session } = ctx.state;
    const { courseId, moduleId } = ctx.params;
    const values = formValues(await ctx.req.formData(), ["title"]);
    const parsed = parseForm(ModuleInput, values);
    let refusal: { status: number; data: Partial<ModulePageData> } | undefined;
    if (!parsed.ok) {
      refusal = { status: 400, data: { rename: { values, ...parsed.failure } } };
    } else {
      try {
        await renameModule(db, session!, courseId, moduleId, parsed.data.title);
      } catch (error) {
        const failure = formFailure(error, ["title"]);
        refusal = {
          status: failure.status,
          data: { rename: { values, fieldErrors: failure.fieldErrors }, error: failure.error },
        };
      }
    }
    if (refusal) {
      const editor = await moduleEditor(db, session!, courseId, moduleId);
      return page<ModulePageData>({ ...editor, ...refusal.data }, { status: refusal.status });
    }
    return ctx.redirect(`/portal/teach/${courseId}/modules/${moduleId}?done=renamed`);
  },
});

export default define.page<typeof handler>(({ data }) => <ModulePage data={data} />);
