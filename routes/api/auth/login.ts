import { z } from "zod";
import { define } from "../../../lib/state.ts";
import { readJson } from "../../../lib/http/json_body.ts";
import { deviceFingerprint, signIn } from "../../../lib/auth/service.ts";
import { refusalError, sessionResponse } from "../../../lib/auth/http.ts";
import type { RouteOperations } from "../../../lib/openapi.ts";

const LoginBody = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(1024),
});

/** AUTH-1: `{ email, password }` → `{ accessToken, refreshToken, user, tenant }`. */
export const handler = define.handlers({
  async POST(ctx) {
    const { email, password } = await readJson(ctx.req, LoginBody);
    const device = await deviceFingerprint(ctx.req);
    const outcome = await signIn(ctx.state.db, ctx.state.jwtSecret, { email, password, device });
    if (!outcome.ok) throw refusalError(outcome);
    return sessionResponse(outcome, ctx.url);
  },
});

export const openapi: RouteOperations = {
  POST: {
    summary: "Sign in: { accessToken, refreshToken, user, tenant }, and session cookies",
    body: LoginBody,
    responses: {
      200: "Signed in",
      400: "Malformed JSON or missing fields",
      401: "Email or password is incorrect (the same answer for unknown emails)",
      403: "The account is disabled",
      429: "Locked after 5 failures, or too many failures from this address (Retry-After)",
    },
  },
};
