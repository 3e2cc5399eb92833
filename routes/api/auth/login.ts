import { z } from "zod";
import { define } from "../../../lib/state.ts";
import { readJson } from "../../../lib/http/json_body.ts";
import { deviceFingerprint, signIn } from "../../../lib/auth/service.ts";
import { refusalError, sessionResponse } from "../../../lib/auth/http.ts";

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
