import { define } from "../../../../../lib/state.ts";
import { formValues, ModuleInput } from "../../../../../lib/teaching/input.ts";
import { addModule } from "../../../../../lib/teaching/content.ts";
import { formFailure } from "../../../../../lib/http/form_failure.ts";
import { CourseEditorPage } from "../../(_components)/CourseEditorPage.tsx";
import { editorRefusal, parseForm } from "../../(_components)/respond.ts";

/** "Add module": appended after the course's last module. */
export const handler = define.handlers({
  GET(ctx) {
    return ctx.redirect(`/portal/teach/${ctx.params.courseId}#modules`);
  },
  async POST(ctx) {
    const { db, session } = ctx.state;
    const courseId = ctx.params.courseId;
    const values = formValues(await ctx.req.formData(), ["title"]);
    const parsed = parseForm(ModuleInput, values);
    if (!parsed.ok) {
      return await editorRefusal(db, session!, courseId, {
        newModule: { values, ...parsed.failure },
      }, 400);
    }
    try {
      await addModule(db, session!, courseId, parsed.data.title);
    } catch (error) {
      const failure = formFailure(error, ["title"]);
      return await editorRefusal(db, session!, courseId, {
        newModule: { values, fieldErrors: failure.fieldErrors },
        error: failure.error,
      }, failure.status);
    }
    return ctx.redirect(`/portal/teach/${courseId}?done=module-added#modules`);
  },
});

export default define.page<typeof handler>(({ data }) => <CourseEditorPage data={data} />);
