import { define } from "../../../../lib/state.ts";
import { requireSession } from "../../../../lib/auth/middleware.ts";
import { inviteFromCsv } from "../../../../lib/auth/bulk_invite.ts";
import { CsvError } from "../../../../lib/csv.ts";
import { HttpError } from "../../../../lib/fresh/mod.ts";
import type { RouteOperations } from "../../../../lib/openapi.ts";

/**
 * AUTH-2 bulk: a CSV file (multipart field `file`, or a `text/csv` body) → one result per row.
 * The body limit answers 413 for an oversized file before this runs.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const admin = requireSession(ctx.state);
    const type = ctx.req.headers.get("Content-Type") ?? "";
    let csv: string;
    if (type.startsWith("multipart/form-data")) {
      const file = (await ctx.req.formData()).get("file");
      if (!(file instanceof File)) throw new HttpError(400, "Attach the CSV file as `file`.");
      csv = await file.text();
    } else if (type.startsWith("text/csv")) {
      csv = await ctx.req.text();
    } else {
      throw new HttpError(415, "Send a CSV file (text/csv or a multipart upload).");
    }
    try {
      const rows = await inviteFromCsv(ctx.state.db, admin, csv);
      const count = (status: string) => rows.filter((r) => r.status === status).length;
      return Response.json({
        invited: count("invited"),
        existing: count("exists"),
        failed: count("error"),
        rows,
      });
    } catch (error) {
      if (error instanceof CsvError) {
        throw new HttpError(400, `The CSV file is malformed: ${error.message}`);
      }
      throw error;
    }
  },
});

export const openapi: RouteOperations = {
  POST: {
    summary: "Invite from CSV (text/csv body or multipart field file): " +
      "full_name,email,phone,role,children → { invited, existing, failed, rows }",
    signedIn: true,
    responses: {
      200: "One result per row, numbered as in a spreadsheet",
      400: "Not CSV",
      401: "Not signed in",
      413: "The file is too large",
      415: "Neither text/csv nor multipart",
    },
  },
};
