import { define } from "../../../lib/state.ts";
import { HttpError } from "../../../lib/fresh/mod.ts";

/** Admin pages are for the school's admins; the database checks again on every action. */
export default define.middleware(function adminsOnly(ctx) {
  if (ctx.state.session?.app_metadata.user_role !== "admin") {
    throw new HttpError(403, "Only your school's admins can open this page.");
  }
  return ctx.next();
});
