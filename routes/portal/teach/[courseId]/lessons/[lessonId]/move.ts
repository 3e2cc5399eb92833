import { define } from "../../../../../../lib/state.ts";
import { HttpError } from "../../../../../../lib/fresh/mod.ts";
import { PositionInput } from "../../../../../../lib/teaching/input.ts";
import { moveLesson } from "../../../../../../lib/teaching/content.ts";

/** The Up/Down buttons: moves the lesson to `position` in its module, then back to the module. */
export const handler = define.handlers({
  async POST(ctx) {
    const { courseId, lessonId } = ctx.params;
    const parsed = PositionInput.safeParse({
      position: (await ctx.req.formData()).get("position") ?? undefined,
    });
    if (!parsed.success) throw new HttpError(400, parsed.error.issues[0].message);
    const lesson = await moveLesson(
      ctx.state.db,
      ctx.state.session!,
      courseId,
      lessonId,
      parsed.data.position,
    );
    return ctx.redirect(
      `/portal/teach/${courseId}/modules/${lesson.module_id}?done=lesson-moved#lessons`,
    );
  },
});
