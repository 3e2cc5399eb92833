import { define } from "../../../../lib/state.ts";
import { requireSession } from "../../../../lib/auth/middleware.ts";
import { inviteFromCsv } from "../../../../lib/auth/bulk_invite.ts";
import { CsvError } from "../../../../lib/csv.ts";
import { HttpError } from "../../../../lib/fresh/mod.ts";

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
