import { isUuid } from "../../../../lib/ids.ts";
import { define } from "../../../../lib/state.ts";
import { page } from "../../../../lib/fresh/mod.ts";
import { Messages } from "../../../../components/Messages.tsx";
import { DbError, httpFailureFor } from "../../../../lib/db/errors.ts";

interface RefusedData {
  courseId: string;
  message: string;
}

/**
 * The course page's "Enrol" form (a parent's also names the child in `studentId`): enrols
 * through public.enroll(), then back to the course page. A refusal — full, a prerequisite,
 * not allowed — is shown as the database words it, with the way back to the course.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const courseId = ctx.params.courseId;
    if (!isUuid(courseId)) {
      return page<RefusedData>({ courseId, message: "Course not found." }, { status: 404 });
    }
    const form = await ctx.req.formData();
    const studentId = String(form.get("studentId") ?? "").trim() || null;
    if (studentId !== null && !isUuid(studentId)) {
      return page<RefusedData>({ courseId, message: "Student not found." }, { status: 404 });
    }
    try {
      await ctx.state.db.asUser(
        ctx.state.session!,
        (q) => q("select public.enroll($1, $2)", [courseId, studentId]),
      );
    } catch (error) {
      if (!(error instanceof DbError)) throw error;
      const { status, message } = httpFailureFor(error);
      if (status >= 500) throw error;
      return page<RefusedData>({ courseId, message }, { status });
    }
    return ctx.redirect(`/portal/courses/${courseId}?enrolled=1`);
  },
});

export default define.page<typeof handler>(({ data }) => (
  <section class="max-w-prose space-y-4">
    <h1 class="text-2xl font-bold">Not enrolled</h1>
    <Messages error={data.message} />
    <p class="flex flex-wrap gap-4">
      <a href={`/portal/courses/${data.courseId}`} class="font-semibold text-emerald-800 underline">
        Back to the course
      </a>
      <a href="/portal/my-courses" class="text-emerald-800 underline">My courses</a>
    </p>
  </section>
));
