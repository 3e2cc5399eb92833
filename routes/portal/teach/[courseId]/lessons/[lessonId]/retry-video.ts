import { define } from "../../../../../../lib/state.ts";
import { retryVideo } from "../../../../../../lib/teaching/content.ts";

/** "Try again" once the video worker gave up: a new transcoding job for the lesson's file. */
export const handler = define.handlers({
  async POST(ctx) {
    const { courseId, lessonId } = ctx.params;
    await retryVideo(ctx.state.db, ctx.state.session!, courseId, lessonId);
    return ctx.redirect(`/portal/teach/${courseId}/lessons/${lessonId}?done=video-retried`);
  },
});
