import { define } from "../../../../../../lib/state.ts";
import { moveLessonToModule } from "../../../../../../lib/teaching/content.ts";

/** "Move to module": the lesson goes to the end of the chosen module, shown next. */
export const handler = define.handlers({
  async POST(ctx) {
    const { courseId, lessonId } = ctx.params;
    const moduleId = String((await ctx.req.formData()).get("module_id") ?? "").trim();
    await moveLessonToModule(ctx.state.db, ctx.state.session!, courseId, lessonId, moduleId);
    return ctx.redirect(
      `/portal/teach/${courseId}/modules/${moduleId}?done=lesson-moved#lessons`,
    );
  },
});
