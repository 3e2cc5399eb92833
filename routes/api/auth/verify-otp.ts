import { z } from "zod";
import { define } from "../../../lib/state.ts";
import { readJson } from "../../../lib/http/json_body.ts";
import { verifyInvitation } from "../../../lib/auth/invitations.ts";
import { refusalError } from "../../../lib/auth/http.ts";
import type { RouteOperations } from "../../../lib/openapi.ts";

const VerifyBody = z.object({
  personId: z.uuid("This link is not valid."),
  code: z.string().trim().regex(/^\d{6}$/, "The code is 6 digits."),
  password: z.string().min(1, "Choose a password.").max(1024),
});

/** AUTH-3: the invitee proves the code and sets a password; only then can they sign in. */
export const handler = define.handlers({
  async POST(ctx) {
    const input = await readJson(ctx.req, VerifyBody);
    const outcome = await verifyInvitation(ctx.state.db, input);
    if (!outcome.ok) throw refusalError(outcome);
    return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  },
});

export const openapi: RouteOperations = {
  POST: {
    summary: "The invitee proves the code and sets a password",
    body: VerifyBody,
    responses: {
      200: "Activated: the person can sign in",
      400: "Field errors",
      401: "Wrong, expired, used or another person's code",
      422: "The password breaks the policy (the code stays usable)",
    },
  },
};
