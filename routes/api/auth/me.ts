import { define } from "../../../lib/state.ts";
import { requireSession } from "../../../lib/auth/middleware.ts";
import { currentPerson } from "../../../lib/auth/me.ts";
import { HttpError } from "../../../lib/fresh/mod.ts";
import type { RouteOperations } from "../../../lib/openapi.ts";

/** The signed-in person and their school, read under RLS as that person. */
export const handler = define.handlers({
  async GET(ctx) {
    const me = await currentPerson(ctx.state.db, requireSession(ctx.state));
    if (!me) throw new HttpError(401, "Please sign in to continue.");
    return Response.json(me, { headers: { "Cache-Control": "no-store" } });
  },
});

export const openapi: RouteOperations = {
  GET: {
    summary: "The signed-in person and their school",
    signedIn: true,
    responses: {
      200: "{ user, tenant }",
      401: "No valid token",
      403: "x-tenant-id names another school",
    },
  },
};
