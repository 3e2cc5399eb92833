import { define } from "../../../../../../lib/state.ts";
import { removeInstructor } from "../../../../../../lib/teaching/instructors.ts";
import { formFailure } from "../../../../../../lib/http/form_failure.ts";
import { CourseEditorPage } from "../../../(_components)/CourseEditorPage.tsx";
import { editorRefusal } from "../../../(_components)/respond.ts";

/** "Remove" beside an instructor (the school's admins); a refusal is shown on the editor. */
export const handler = define.handlers({
  async POST(ctx) {
    const { db, session } = ctx.state;
    const { courseId, teacherId } = ctx.params;
    try {
      await removeInstructor(db, session!, courseId, teacherId);
    } catch (error) {
      const failure = formFailure(error, []);
      return await editorRefusal(db, session!, courseId, { error: failure.error }, failure.status);
    }
    return ctx.redirect(`/portal/teach/${courseId}?done=instructor-removed#instructors`);
  },
});

export default define.page<typeof handler>(({ data }) => <CourseEditorPage data={data} />);
