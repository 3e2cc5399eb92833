import { define } from "../../../lib/state.ts";
import { readJson } from "../../../lib/http/json_body.ts";
import { requireSession } from "../../../lib/auth/middleware.ts";
import { InvitationInput } from "../../../lib/auth/invitation_input.ts";
import { invite } from "../../../lib/auth/invitations.ts";
import { refusalError } from "../../../lib/auth/http.ts";
import { DbError } from "../../../lib/db/errors.ts";
import { HttpError } from "../../../lib/fresh/mod.ts";
import type { RouteOperations } from "../../../lib/openapi.ts";

/** AUTH-2: an admin invites one person; the code goes out by email or SMS. */
export const handler = define.handlers({
  async POST(ctx) {
    const admin = requireSession(ctx.state);
    const input = await readJson(ctx.req, InvitationInput);
    try {
      const outcome = await invite(ctx.state.db, admin, input);
      if (!outcome.ok) throw refusalError(outcome);
      return Response.json(
        { personId: outcome.person_id, delivery: outcome.delivery, message: "Invitation sent." },
        { status: 201 },
      );
    } catch (error) {
      if (error instanceof DbError && error.code === "23505") {
        throw new HttpError(409, "Someone in this school already has that email address.", {
          details: { fields: { email: ["Already used in this school."] } },
        });
      }
      throw error;
    }
  },
});

export const openapi: RouteOperations = {
  POST: {
    summary: "An admin invites one person; the code goes out by email or SMS",
    body: InvitationInput,
    signedIn: true,
    responses: {
      201: "{ personId, delivery }",
      400: "Field errors",
      401: "Not signed in",
      403: "Not an admin, or the school's plan limit is reached",
      409: "Someone in this school already has that email address",
      422: "A child who is not a student of this school",
    },
  },
};
