import { define } from "../lib/state.ts";
import {
  clearedSessionCookies,
  isSecureContext,
  readCookie,
  REFRESH_COOKIE,
  withCookies,
} from "../lib/auth/cookies.ts";
import { signOut } from "../lib/auth/service.ts";

/** The sign-out form's target: revoke the session, clear the cookies, back to sign-in. */
export const handler = define.handlers({
  async POST(ctx) {
    const refreshToken = readCookie(ctx.req.headers.get("Cookie"), REFRESH_COOKIE);
    if (refreshToken) await signOut(ctx.state.db, refreshToken);
    return withCookies(ctx.redirect("/signin"), clearedSessionCookies(isSecureContext(ctx.url)));
  },
});
