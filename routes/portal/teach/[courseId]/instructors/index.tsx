import { define } from "../../../../../lib/state.ts";
import { addInstructor } from "../../../../../lib/teaching/instructors.ts";
import { formFailure } from "../../../../../lib/http/form_failure.ts";
import { CourseEditorPage } from "../../(_components)/CourseEditorPage.tsx";
import { editorRefusal } from "../../(_components)/respond.ts";

/** "Add an instructor" (the school's admins): a teacher of the school, chosen by id. */
export const handler = define.handlers({
  GET(ctx) {
    return ctx.redirect(`/portal/teach/${ctx.params.courseId}#instructors`);
  },
  async POST(ctx) {
    const { db, session } = ctx.state;
    const courseId = ctx.params.courseId;
    const teacherId = String((await ctx.req.formData()).get("teacher_id") ?? "").trim();
    try {
      await addInstructor(db, session!, courseId, teacherId);
    } catch (error) {
      const failure = formFailure(error, ["teacher_id"]);
      return await editorRefusal(db, session!, courseId, {
        newInstructor: { values: { teacher_id: teacherId }, fieldErrors: failure.fieldErrors },
        error: failure.error,
      }, failure.status);
    }
    return ctx.redirect(`/portal/teach/${courseId}?done=instructor-added#instructors`);
  },
});

export default define.page<typeof handler>(({ data }) => <CourseEditorPage data={data} />);
