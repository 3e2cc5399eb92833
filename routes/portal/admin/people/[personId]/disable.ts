import { define } from "../../../../../lib/state.ts";
import { HttpError } from "../../../../../lib/fresh/mod.ts";
import { setDisabled } from "../../../../../lib/people.ts";

/** Disable: the person can no longer sign in, and their sessions end (a database trigger). */
export const handler = define.handlers({
  async POST(ctx) {
    const found = await setDisabled(ctx.state.db, ctx.state.session!, ctx.params.personId);
    if (!found) throw new HttpError(404, "There is nobody like that in your school.");
    return ctx.redirect("/portal/admin/people?done=disabled");
  },
});
