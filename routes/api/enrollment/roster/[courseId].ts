import { define } from "../../../../lib/state.ts";
import { requireSession } from "../../../../lib/auth/middleware.ts";
import { HttpError } from "../../../../lib/fresh/mod.ts";
import { toCsv } from "../../../../lib/csv_write.ts";
import { courseRoster } from "../../../../lib/enrollment.ts";
import { isUuid } from "../../../../lib/ids.ts";
import type { RouteOperations } from "../../../../lib/openapi.ts";

const wantsCsv = (url: URL, req: Request) =>
  url.searchParams.get("format") === "csv" ||
  (!url.searchParams.has("format") && /\btext\/csv\b/i.test(req.headers.get("Accept") ?? ""));

/**
 * ENR-2: a course's students with their guardians' contacts, for its instructors and the
 * school's admins (public.course_roster() checks; 403 anyone else, 404 an unknown or other
 * school's course). JSON, or a CSV file for spreadsheets with `?format=csv` / Accept: text/csv.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const claims = requireSession(ctx.state);
    const courseId = ctx.params.courseId;
    if (!isUuid(courseId)) throw new HttpError(404, "Course not found.");
    const { course, students: rows } = await courseRoster(ctx.state.db, claims, courseId);
    const code = course?.code ?? "course";
    const students = rows.map((r) => ({
      id: r.student_id,
      name: r.full_name,
      email: r.email,
      parent: r.guardians[0] ?? null,
      guardians: r.guardians,
    }));
    if (!wantsCsv(ctx.url, ctx.req)) {
      return Response.json({ students }, { headers: { "Cache-Control": "no-store" } });
    }
    const most = Math.max(1, ...students.map((s) => s.guardians.length));
    const header = ["Student", "Student email"];
    for (let i = 1; i <= most; i++) {
      header.push(`Guardian ${i}`, `Guardian ${i} phone`, `Guardian ${i} email`);
    }
    // every line as many cells as the header (RFC 4180), however many guardians a student has
    const lines = students.map((s) =>
      Array.from(
        { length: header.length },
        (_, i) =>
          [s.name, s.email, ...s.guardians.flatMap((g) => [g.name, g.phone, g.email])][i] ?? "",
      )
    );
    const filename = `roster-${code.replace(/[^A-Za-z0-9._-]/g, "_")}.csv`;
    return new Response(toCsv([header, ...lines]), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});

export const openapi: RouteOperations = {
  GET: {
    summary: "A course's roster with guardians' contacts (JSON, or CSV with ?format=csv)",
    signedIn: true,
    responses: {
      200: "{ students: [{ id, name, email, parent: { name, phone, email } | null, guardians }] }" +
        ", or text/csv (UTF-8 with BOM, CRLF) as an attachment roster-<code>.csv",
      401: "Not signed in",
      403: "Not an instructor of the course nor an admin of the school",
      404: "Course not found (unknown, or another school's)",
    },
  },
};
