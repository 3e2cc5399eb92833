import { define } from "../../../../lib/state.ts";
import { requireSession } from "../../../../lib/auth/middleware.ts";
import { HttpError } from "../../../../lib/fresh/mod.ts";
import { lessonFiles, moduleLessons } from "../../../../lib/content.ts";
import { isUuid } from "../../../../lib/ids.ts";
import type { RouteOperations } from "../../../../lib/openapi.ts";

/**
 * LMS-2: a module's lessons in order, with duration, the caller's completion and, for video and
 * PDF lessons, signed file URLs valid 15 minutes (a download URL too for PDFs). Who may list
 * them is the database's answer (403/404 as for the modules). Listing does not count as viewing:
 * a view is counted when a lesson is opened (its page, or POST …/lessons/:lessonId/view).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const claims = requireSession(ctx.state);
    const moduleId = ctx.params.moduleId;
    if (!isUuid(moduleId)) throw new HttpError(404, "Module not found.");
    const { module, lessons } = await moduleLessons(ctx.state.db, claims, moduleId);
    const files = await Promise.all(lessons.map((l) => lessonFiles(ctx.state.storage, l)));
    return Response.json(
      {
        module: {
          id: module.id,
          title: module.title,
          position: module.position,
          courseId: module.course_id,
        },
        lessons: lessons.map((l, i) => ({
          id: l.id,
          title: l.title,
          kind: l.kind,
          position: l.position,
          durationSeconds: l.duration_seconds,
          completed: l.completed,
          ...(l.kind === "text" ? { body: l.body } : {
            contentType: l.content_type,
            byteSize: Number(l.byte_size),
            ...files[i],
          }),
        })),
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
});

export const openapi: RouteOperations = {
  GET: {
    summary: "A module's lessons with duration, completion and signed file URLs",
    signedIn: true,
    responses: {
      200: "{ module: { id, title, position, courseId }, lessons: [{ id, title, kind: video|pdf|" +
        "text, position, durationSeconds, completed, body (text) | contentType, byteSize, fileUrl, " +
        "downloadUrl (pdf), hlsUrl (video: the HLS master playlist of its 240p/360p/720p ladder, " +
        "null until transcoded) }] } — file URLs are signed and expire after 15 minutes",
      401: "Not signed in",
      403: "The course is in the catalog but its lessons are not the caller's to open",
      404: "Module not found (unknown, another school's, or of a course the caller may not see)",
    },
  },
};
