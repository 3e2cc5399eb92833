import { define } from "../lib/state.ts";
import { readCookie, REFRESH_COOKIE, withCookies } from "../lib/auth/cookies.ts";
import { endSession } from "../lib/auth/http.ts";

/** The sign-out form's target: revoke the session, clear the cookies, back to sign-in. */
export const handler = define.handlers({
  async POST(ctx) {
    const refreshToken = readCookie(ctx.req.headers.get("Cookie"), REFRESH_COOKIE);
    const cookies = await endSession(ctx.state.db, refreshToken, ctx.url);
    return withCookies(ctx.redirect("/signin"), cookies);
  },
});
