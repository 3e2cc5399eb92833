import { define } from "../../../../../lib/state.ts";
import { requireSession } from "../../../../../lib/auth/middleware.ts";
import { HttpError } from "../../../../../lib/fresh/mod.ts";
import { recordLessonView } from "../../../../../lib/content.ts";
import { isUuid } from "../../../../../lib/ids.ts";
import type { RouteOperations } from "../../../../../lib/openapi.ts";

/**
 * LMS-2 analytics: an API client (say, a mobile app) that opens a lesson from the list counts
 * the view here; the lesson page counts its own (public.record_lesson_view).
 */
export const handler = define.handlers({
  async POST(ctx) {
    const claims = requireSession(ctx.state);
    const lessonId = ctx.params.lessonId;
    if (!isUuid(lessonId)) throw new HttpError(404, "Lesson not found.");
    const views = await recordLessonView(ctx.state.db, claims, lessonId);
    return Response.json({ lessonId, views }, { headers: { "Cache-Control": "no-store" } });
  },
});

export const openapi: RouteOperations = {
  POST: {
    summary: "Count a view of a lesson by the signed-in person",
    signedIn: true,
    responses: {
      200: "{ lessonId, views } — how often this person has opened the lesson",
      401: "Not signed in",
      403: "The course is in the catalog but its lessons are not the caller's to open",
      404: "Lesson not found (unknown, another school's, or of a course the caller may not see)",
    },
  },
};
