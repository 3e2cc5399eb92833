import { z } from "zod";
import { define } from "../../../lib/state.ts";
import { readJson } from "../../../lib/http/json_body.ts";
import { readCookie, REFRESH_COOKIE } from "../../../lib/auth/cookies.ts";
import { deviceFingerprint, refreshSession } from "../../../lib/auth/service.ts";
import { refusalError, sessionResponse } from "../../../lib/auth/http.ts";
import { HttpError } from "../../../lib/fresh/mod.ts";
import type { RouteOperations } from "../../../lib/openapi.ts";

const RefreshBody = z.object({ refreshToken: z.string().min(1).max(512).optional() });

/** AUTH-3: rotates the refresh token (body or cookie) and returns a new session. */
export const handler = define.handlers({
  async POST(ctx) {
    const hasBody = ctx.req.headers.get("Content-Type")?.includes("json");
    const body = hasBody ? await readJson(ctx.req, RefreshBody) : {};
    const refreshToken = body.refreshToken ??
      readCookie(ctx.req.headers.get("Cookie"), REFRESH_COOKIE);
    if (!refreshToken) throw new HttpError(401, "Please sign in to continue.");
    const device = await deviceFingerprint(ctx.req);
    const outcome = await refreshSession(ctx.state.db, ctx.state.jwtSecret, {
      refreshToken,
      device,
    });
    if (!outcome.ok) throw refusalError(outcome);
    return sessionResponse(outcome, ctx.url);
  },
});

export const openapi: RouteOperations = {
  POST: {
    summary: "Rotate the refresh token (body or cookie) for a new session",
    body: RefreshBody,
    responses: {
      200: "A new access and refresh token",
      401: "Unknown, expired or already used (a reuse ends the whole session family)",
      403: "The account is disabled",
    },
  },
};
