import { define } from "../../../../lib/state.ts";
import { page } from "../../../../lib/fresh/mod.ts";
import { COURSE_FIELDS, CourseInput, formValues } from "../../../../lib/teaching/input.ts";
import { courseEditor, updateCourse } from "../../../../lib/teaching/courses.ts";
import { formFailure } from "../../../../lib/http/form_failure.ts";
import { type CourseEditorData, CourseEditorPage } from "../(_components)/CourseEditorPage.tsx";
import { editorRefusal, noticeFor, parseForm } from "../(_components)/respond.ts";

const NOTICES: Record<string, string> = {
  created: "Course created as a draft. Add modules and lessons, then publish it.",
  saved: "Details saved.",
  published: "Published: students of your school can find it in the catalog.",
  unpublished: "Unpublished: the course is a draft again.",
  "module-added": "Module added.",
  "module-moved": "Module moved.",
  "module-deleted": "Module deleted.",
  "instructor-added": "Instructor added.",
  "instructor-removed": "Instructor removed.",
};

const DETAIL_FIELDS = [...COURSE_FIELDS, "add_prerequisite"];

/** The course editor: GET shows it, POST saves the details and prerequisites (all or nothing). */
export const handler = define.handlers({
  async GET(ctx) {
    const editor = await courseEditor(ctx.state.db, ctx.state.session!, ctx.params.courseId);
    return page<CourseEditorData>({ ...editor, notice: noticeFor(ctx.url, NOTICES) });
  },
  async POST(ctx) {
    const { db, session } = ctx.state;
    const courseId = ctx.params.courseId;
    const form = await ctx.req.formData();
    const values = formValues(form, DETAIL_FIELDS);
    const parsed = parseForm(CourseInput, values);
    const refuse = (details: CourseEditorData["details"], status: number, error?: string) =>
      editorRefusal(db, session!, courseId, { details, error }, status);
    if (!parsed.ok) return await refuse({ values, ...parsed.failure }, 400);
    const add = values.add_prerequisite.trim().toUpperCase();
    try {
      await updateCourse(db, session!, courseId, parsed.data, {
        keep: form.getAll("keep_prerequisite").map(String),
        add: add || undefined,
      });
    } catch (error) {
      const failure = formFailure(error, DETAIL_FIELDS, { prerequisite_id: "add_prerequisite" });
      return await refuse(
        { values, fieldErrors: failure.fieldErrors },
        failure.status,
        failure.error,
      );
    }
    return ctx.redirect(`/portal/teach/${courseId}?done=saved`);
  },
});

export default define.page<typeof handler>(({ data }) => <CourseEditorPage data={data} />);
