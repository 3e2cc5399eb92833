import { define } from "../../lib/state.ts";

/** Every portal page needs a signed-in person; others are sent to sign in, then back here. */
export default define.middleware(function signedInOnly(ctx) {
  if (!ctx.state.session) {
    return ctx.redirect(`/signin?next=${encodeURIComponent(ctx.url.pathname + ctx.url.search)}`);
  }
  return ctx.next();
});
