import { define } from "../../lib/state.ts";
import { page } from "../../lib/fresh/mod.ts";
import { refusalStatus } from "../../lib/auth/service.ts";
import { resendInvitationCode } from "../../lib/auth/invitations.ts";
import VerifyPage, { personFrom, type VerifyData } from "./index.tsx";

/** "Send me a new code": back to the verify page, with the database's word on rate limits. */
export const handler = define.handlers({
  async POST(ctx) {
    const personId = personFrom((await ctx.req.formData()).get("person"));
    if (!personId) return ctx.redirect("/verify");
    const outcome = await resendInvitationCode(ctx.state.db, personId);
    if (!outcome.ok) {
      return page<VerifyData>({ personId, error: outcome.message }, {
        status: refusalStatus(outcome),
        headers: outcome.retry_after ? { "Retry-After": String(outcome.retry_after) } : undefined,
      });
    }
    return ctx.redirect(`/verify?person=${personId}&resent=1`);
  },
});

export default VerifyPage;
