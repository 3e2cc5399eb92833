import { define } from "../../../../../lib/state.ts";
import { unlock } from "../../../../../lib/people.ts";

/** Unlock an account locked by failed sign-ins. */
export const handler = define.handlers({
  async POST(ctx) {
    await unlock(ctx.state.db, ctx.state.session!, ctx.params.personId);
    return ctx.redirect("/portal/admin/people?done=unlocked");
  },
});
