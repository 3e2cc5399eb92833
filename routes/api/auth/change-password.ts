import { z } from "zod";
import { define } from "../../../lib/state.ts";
import { readJson } from "../../../lib/http/json_body.ts";
import { requireSession } from "../../../lib/auth/middleware.ts";
import { changePassword } from "../../../lib/auth/service.ts";
import { refusalError } from "../../../lib/auth/http.ts";
import { clearedSessionCookies, isSecureContext, withCookies } from "../../../lib/auth/cookies.ts";
import type { RouteOperations } from "../../../lib/openapi.ts";

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

export const openapi: RouteOperations = {
  POST: {
    summary: "Change the password; every session of the person ends",
    body: ChangeBody,
    signedIn: true,
    responses: {
      200: "Changed; sign in again",
      401: "Not signed in, or the current password is wrong",
      422: "The new password breaks the policy",
      429: "Too many wrong current passwords",
    },
  },
};
