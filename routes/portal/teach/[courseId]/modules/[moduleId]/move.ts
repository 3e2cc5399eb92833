import { define } from "../../../../../../lib/state.ts";
import { HttpError } from "../../../../../../lib/fresh/mod.ts";
import { PositionInput } from "../../../../../../lib/teaching/input.ts";
import { moveModule } from "../../../../../../lib/teaching/content.ts";

/** The Up/Down buttons: moves the module to `position`, then back to the course. */
export const handler = define.handlers({
  async POST(ctx) {
    const { courseId, moduleId } = ctx.params;
    const parsed = PositionInput.safeParse({
      position: (await ctx.req.formData()).get("position") ?? undefined,
    });
    if (!parsed.success) throw new HttpError(400, parsed.error.issues[0].message);
    await moveModule(ctx.state.db, ctx.state.session!, courseId, moduleId, parsed.data.position);
    return ctx.redirect(`/portal/teach/${courseId}?done=module-moved#modules`);
  },
});
