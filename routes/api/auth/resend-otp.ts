import { z } from "zod";
import { define } from "../../../lib/state.ts";
import { readJson } from "../../../lib/http/json_body.ts";
import { resendInvitationCode } from "../../../lib/auth/invitations.ts";
import { refusalError } from "../../../lib/auth/http.ts";
import type { RouteOperations } from "../../../lib/openapi.ts";

const ResendBody = z.object({ personId: z.uuid("This link is not valid.") });

/** A new code for an invitee (rate-limited in the database; no hint whether the person exists). */
export const handler = define.handlers({
  async POST(ctx) {
    const { personId } = await readJson(ctx.req, ResendBody);
    const outcome = await resendInvitationCode(ctx.state.db, personId);
    if (!outcome.ok) throw refusalError(outcome);
    return Response.json({ ok: true });
  },
});

export const openapi: RouteOperations = {
  POST: {
    summary: "Send a new code to an invitee",
    body: ResendBody,
    responses: { 200: "Sent (or nobody to send to: no hint)", 429: "Too soon (Retry-After)" },
  },
};
