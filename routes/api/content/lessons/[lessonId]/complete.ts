import { define } from "../../../../../lib/state.ts";
import { requireSession } from "../../../../../lib/auth/middleware.ts";
import { HttpError } from "../../../../../lib/fresh/mod.ts";
import { completeLesson } from "../../../../../lib/content.ts";
import { isUuid } from "../../../../../lib/ids.ts";
import type { RouteOperations } from "../../../../../lib/openapi.ts";

/**
 * LMS-2: the signed-in student marks a lesson complete (public.complete_lesson: idempotent; the
 * course's last lesson completes the enrolment) and gets the course's progress back.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const claims = requireSession(ctx.state);
    const lessonId = ctx.params.lessonId;
    if (!isUuid(lessonId)) throw new HttpError(404, "Lesson not found.");
    const result = await completeLesson(ctx.state.db, claims, lessonId);
    return Response.json(result, {
      status: result.created ? 201 : 200,
      headers: { "Cache-Control": "no-store" },
    });
  },
});

export const openapi: RouteOperations = {
  POST: {
    summary: "Mark a lesson complete (idempotent) and get the course's progress",
    signedIn: true,
    responses: {
      200: "Already complete: { lessonId, created: false, enrollmentStatus, progress: " +
        "{ lessonsTotal, lessonsCompleted, percent } }",
      201: "Completed now: { lessonId, created: true, enrollmentStatus, progress }",
      401: "Not signed in",
      403: "Only students enrolled in the course can complete its lessons",
      404: "Lesson not found (unknown or another school's)",
    },
  },
};
