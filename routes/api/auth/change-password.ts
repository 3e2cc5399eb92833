import { z } from "zod";
import { define } from "../../../lib/state.ts";
import { readJson } from "../../../lib/http/json_body.ts";
import { requireSession } from "../../../lib/auth/middleware.ts";
import { changePassword } from "../../../lib/auth/invitations.ts";
import { refusalError } from "../../../lib/auth/http.ts";
import { clearedSessionCookies, isSecureContext, withCookies } from "../../../lib/auth/cookies.ts";

const ChangeBody = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(1024),
  newPassword: z.string().min(1, "Choose a new password.").max(1024),
});

/** A new password ends every session of the person, this one included: sign in again. */
export const handler = define.handlers({
  async POST(ctx) {
    const person = requireSession(ctx.state);
    const outcome = await changePassword(ctx.state.db, person, await readJson(ctx.req, ChangeBody));
    if (!outcome.ok) throw refusalError(outcome);
    return withCookies(
      Response.json({ ok: true, message: "Password changed. Sign in again on every device." }),
      clearedSessionCookies(isSecureContext(ctx.url)),
    );
  },
});
