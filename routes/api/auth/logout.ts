import { z } from "zod";
import { define } from "../../../lib/state.ts";
import { readJson } from "../../../lib/http/json_body.ts";
import { readCookie, REFRESH_COOKIE, withCookies } from "../../../lib/auth/cookies.ts";
import { endSession } from "../../../lib/auth/http.ts";
import type { RouteOperations } from "../../../lib/openapi.ts";

const LogoutBody = z.object({ refreshToken: z.string().min(1).max(512).optional() });

/** Revokes the session (its whole refresh-token family) and clears the cookies. Idempotent. */
export const handler = define.handlers({
  async POST(ctx) {
    const hasBody = ctx.req.headers.get("Content-Type")?.includes("json");
    const body = hasBody ? await readJson(ctx.req, LogoutBody) : {};
    const refreshToken = body.refreshToken ??
      readCookie(ctx.req.headers.get("Cookie"), REFRESH_COOKIE);
    const cookies = await endSession(ctx.state.db, refreshToken, ctx.url);
    return withCookies(
      Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } }),
      cookies,
    );
  },
});

export const openapi: RouteOperations = {
  POST: {
    summary: "End the session (body or cookie refresh token) and clear the cookies",
    body: LogoutBody,
    responses: { 200: "Signed out (also for an unknown token)" },
  },
};
