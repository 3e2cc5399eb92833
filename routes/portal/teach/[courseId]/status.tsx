import { define } from "../../../../lib/state.ts";
import { setCourseStatus } from "../../../../lib/teaching/courses.ts";
import { formFailure } from "../../../../lib/http/form_failure.ts";
import { CourseEditorPage } from "../(_components)/CourseEditorPage.tsx";
import { editorRefusal } from "../(_components)/respond.ts";

/** Publish or unpublish; a refusal (e.g. no lessons yet) is shown on the course editor. */
export const handler = define.handlers({
  async POST(ctx) {
    const { db, session } = ctx.state;
    const courseId = ctx.params.courseId;
    const status = String((await ctx.req.formData()).get("status") ?? "");
    if (status !== "published" && status !== "draft") {
      return await editorRefusal(db, session!, courseId, {
        error: "Choose to publish or to unpublish.",
      }, 400);
    }
    try {
      await setCourseStatus(db, session!, courseId, status);
    } catch (error) {
      const failure = formFailure(error, []);
      return await editorRefusal(db, session!, courseId, { error: failure.error }, failure.status);
    }
    const done = status === "published" ? "published" : "unpublished";
    return ctx.redirect(`/portal/teach/${courseId}?done=${done}`);
  },
});

export default define.page<typeof handler>(({ data }) => <CourseEditorPage data={data} />);
