import { define } from "../../../lib/state.ts";
import { page } from "../../../lib/fresh/mod.ts";
import { COURSE_FIELDS, CourseInput, formValues } from "../../../lib/teaching/input.ts";
import { createCourse } from "../../../lib/teaching/courses.ts";
import { formFailure } from "../../../lib/http/form_failure.ts";
import { Messages } from "../../../components/Messages.tsx";
import { Breadcrumbs } from "./(_components)/Breadcrumbs.tsx";
import { CourseFields } from "./(_components)/CourseFields.tsx";
import { buttonClass, type FormState } from "./(_components)/Fields.tsx";
import { parseForm } from "./(_components)/respond.ts";

interface NewCourseData extends FormState {
  error?: string;
}

/** "New course": a draft in the caller's school; a teacher becomes its instructor. */
export const handler = define.handlers({
  GET() {
    return page<NewCourseData>({});
  },
  async POST(ctx) {
    const values = formValues(await ctx.req.formData(), COURSE_FIELDS);
    const parsed = parseForm(CourseInput, values);
    if (!parsed.ok) return page<NewCourseData>({ values, ...parsed.failure }, { status: 400 });
    try {
      const id = await createCourse(ctx.state.db, ctx.state.session!, parsed.data);
      return ctx.redirect(`/portal/teach/${id}?done=created`);
    } catch (error) {
      const { status, ...shown } = formFailure(error, COURSE_FIELDS);
      return page<NewCourseData>({ values, ...shown }, { status });
    }
  },
});

export default define.page<typeof handler>(({ data }) => (
  <section class="max-w-prose space-y-6">
    <Breadcrumbs />
    <h1 class="text-2xl font-bold">New course</h1>
    <p class="text-stone-700">
      It starts as a draft: add modules and lessons, then publish it to the catalog.
    </p>
    <Messages error={data.error} />
    <form method="post" action="/portal/teach/new" class="space-y-3">
      <CourseFields form={data} />
      <button type="submit" class={buttonClass}>Create the course</button>
    </form>
  </section>
));
