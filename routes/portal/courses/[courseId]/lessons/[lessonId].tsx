import { define } from "../../../../../lib/state.ts";
import { HttpError, page } from "../../../../../lib/fresh/mod.ts";
import { isUuid } from "../../../../../lib/ids.ts";
import { completeLesson, lessonFiles, openLesson } from "../../../../../lib/content.ts";
import { Messages } from "../../../../../components/Messages.tsx";
import { LessonVideo } from "../../../../../components/LessonVideo.tsx";
import { LessonPdf } from "../../../../../components/LessonPdf.tsx";
import { CourseProgress } from "./(_components)/CourseProgress.tsx";

type Opened = NonNullable<Awaited<ReturnType<typeof openLesson>>>;

interface LessonPageData extends Opened {
  files: Awaited<ReturnType<typeof lessonFiles>>;
  /** The caller is a student: they complete lessons (public.complete_lesson decides; this only
   * hides the form) and see their own progress rather than their children's. */
  student: boolean;
  notice?: string;
}

function ids(params: Record<string, string>) {
  const { courseId, lessonId } = params;
  if (!isUuid(courseId) || !isUuid(lessonId)) throw new HttpError(404, "Lesson not found.");
  return { courseId, lessonId };
}

/**
 * LMS-2's lesson page: the video, PDF or text, previous and next lesson, the course's progress
 * and "Mark complete" for a student. Who may open it is the database's answer (403 in the school
 * for those not enrolled, 404 otherwise); opening it counts a view.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const { courseId, lessonId } = ids(ctx.params);
    const claims = ctx.state.session!;
    const opened = await openLesson(ctx.state.db, claims, courseId, lessonId);
    if (!opened) throw new HttpError(404, "Lesson not found.");
    return page<LessonPageData>({
      ...opened,
      files: await lessonFiles(ctx.state.storage, opened.lesson),
      student: claims.app_metadata.user_role === "student",
      notice: ctx.url.searchParams.get("completed") === "1" ? "Lesson marked complete." : undefined,
    }, { headers: { "Cache-Control": "private, no-store" } });
  },

  /** "Mark complete" (post/redirect/get; CSRF is the app's Origin check, as for every form). */
  async POST(ctx) {
    const { courseId, lessonId } = ids(ctx.params);
    await completeLesson(ctx.state.db, ctx.state.session!, lessonId);
    return ctx.redirect(`/portal/courses/${courseId}/lessons/${lessonId}?completed=1`);
  },
});

const minutes = (seconds: number) =>
  seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;

export default define.page<typeof handler>(({ data, state }) => {
  const { lesson, course, module, previous, next, files } = data;
  const lessonUrl = (id: string) => `/portal/courses/${course.id}/lessons/${id}`;
  return (
    <article class="space-y-6">
      <nav class="text-sm" aria-label="Course">
        <a href={`/portal/courses/${course.id}`} class="text-emerald-800 underline">
          {course.title}
        </a>
        <span class="text-stone-600">· Module {module.position}: {module.title}</span>
      </nav>
      <header class="space-y-1">
        <h1 class="text-2xl font-bold">{lesson.title}</h1>
        <p class="text-sm text-stone-600">
          {lesson.kind === "video" ? "Video" : lesson.kind === "pdf" ? "PDF worksheet" : "Reading"}
          {lesson.duration_seconds > 0 && ` · ${minutes(lesson.duration_seconds)}`}
        </p>
      </header>
      <Messages notice={data.notice} />

      {lesson.kind === "video" && files && (
        <LessonVideo
          src={files.fileUrl}
          title={lesson.title}
          lowData={state.lowData}
          hlsUrl={files.hlsUrl}
        />
      )}
      {lesson.kind === "pdf" && files?.downloadUrl && (
        <LessonPdf
          src={files.fileUrl}
          downloadUrl={files.downloadUrl}
          title={lesson.title}
          byteSize={Number(lesson.byte_size)}
          lowData={state.lowData}
        />
      )}
      {lesson.kind === "text" && (
        // Text, never HTML: Preact escapes it; line breaks are kept by CSS.
        <div class="whitespace-pre-line leading-relaxed" data-testid="lesson-text">
          {lesson.body}
        </div>
      )}

      <div class="space-y-3" data-testid="completion">
        {lesson.completed
          ? <p class="font-semibold text-emerald-800">You have completed this lesson.</p>
          : data.student && (
            <form method="post">
              <button
                type="submit"
                class="rounded bg-emerald-800 px-4 py-2 font-semibold text-white"
              >
                Mark complete
              </button>
            </form>
          )}
        <CourseProgress lines={data.progress} own={data.student} />
      </div>

      <nav class="flex flex-wrap justify-between gap-4" aria-label="Lessons">
        {previous
          ? (
            <a href={lessonUrl(previous.id)} rel="prev" class="text-emerald-800 underline">
              ← {previous.title}
            </a>
          )
          : <span />}
        {next && (
          <a href={lessonUrl(next.id)} rel="next" class="text-emerald-800 underline">
            {next.title} →
          </a>
        )}
      </nav>
    </article>
  );
});
