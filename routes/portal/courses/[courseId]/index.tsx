import { define } from "../../../../lib/state.ts";
import EnrolForm from "../../../../islands/EnrolForm.tsx";
import { HttpError, page } from "../../../../lib/fresh/mod.ts";
import { type CourseDetail, courseDetail } from "../../../../lib/catalog.ts";
import { courseLessonOutline, type OutlineLesson } from "../../../../lib/content.ts";
import { ModuleLessons } from "./(_components)/ModuleLessons.tsx";
import { SeatsLeft } from "../../../../components/SeatsLeft.tsx";

interface CourseData {
  detail: CourseDetail;
  /** Students and parents may enrol (the enrol handler decides whom). */
  canEnrol: boolean;
  /** For a parent: the children they may enrol (RLS shows a parent only their own). */
  children: { id: string; full_name: string }[];
  /** Instructors and admins see the roster link (the roster checks again). */
  staff: boolean;
  /** Module id → its lessons, for those who may open them (null: outline only). */
  lessons: Record<string, OutlineLesson[]> | null;
}

const STATUS_TEXT: Record<string, string> = {
  enrolled: "You are enrolled.",
  completed: "You have completed this course.",
  withdrawn: "You withdrew from this course.",
};

/** A course: description, instructors, outline and the caller's enrolment; enrol form for learners. */
export const handler = define.handlers({
  async GET(ctx) {
    const claims = ctx.state.session!;
    const detail = await courseDetail(ctx.state.db, claims, ctx.params.courseId);
    if (!detail) throw new HttpError(404, "Course not found.");
    const role = claims.app_metadata.user_role;
    const children = role !== "parent"
      ? []
      : await ctx.state.db.asUser(claims, (q) =>
        q<{ id: string; full_name: string }>(
          "select id, full_name from public.people where role = 'student' order by full_name",
        ));
    const outline = await courseLessonOutline(ctx.state.db, claims, detail.course.id);
    return page<CourseData>({
      detail,
      lessons: outline && Object.fromEntries(outline.map((m) => [m.id, m.lessons])),
      canEnrol: role === "student" || role === "parent",
      children,
      staff: role === "teacher" || role === "admin",
    });
  },
});

export default define.page<typeof handler>(({ data }) => {
  const { course, modules, enrollment } = data.detail;
  return (
    <section class="space-y-6">
      <a href="/portal/courses" class="text-emerald-800 underline">All courses</a>
      <div class="space-y-1">
        <p class="text-sm font-semibold uppercase tracking-wide text-emerald-800">
          {course.code} · {course.subject} · {course.gradeLevel}
          {course.status === "draft" && " · draft"}
        </p>
        <h1 class="text-2xl font-bold">{course.title}</h1>
        <p class="text-stone-700">
          {course.instructors.length > 0
            ? `Taught by ${course.instructors.map((i) => i.name).join(", ")}`
            : "No instructor yet"} · {course.capacity} seats ·{" "}
          <SeatsLeft capacity={course.capacity} seatsLeft={course.seatsLeft} />
        </p>
      </div>
      {course.description && <p class="whitespace-pre-line">{course.description}</p>}

      <div class="space-y-2">
        <h2 class="text-xl font-bold">Modules</h2>
        {modules.length === 0
          ? <p class="text-stone-700">No modules yet.</p>
          : (
            <ol class="space-y-2">
              {modules.map((m, i) => (
                <li key={m.id}>
                  <ModuleLessons
                    courseId={course.id}
                    module={m}
                    lessons={data.lessons?.[m.id] ?? null}
                    open={i === 0}
                  />
                </li>
              ))}
            </ol>
          )}
        {!data.lessons && modules.length > 0 && (
          <p class="text-sm text-stone-700">
            The lessons open for the course's enrolled students, their parents and its teachers.
          </p>
        )}
      </div>

      {data.staff && (
        <a
          href={`/portal/courses/${course.id}/roster`}
          class="font-semibold text-emerald-800 underline"
        >
          Class roster
        </a>
      )}
      <div class="space-y-2" data-testid="enrollment">
        <p>{enrollment ? STATUS_TEXT[enrollment.status] : "You are not enrolled."}</p>
        {data.canEnrol && enrollment?.status !== "enrolled" &&
          enrollment?.status !== "completed" && (
          <EnrolForm
            courseId={course.id}
            courseTitle={course.title}
            learners={data.children.map((c) => ({ id: c.id, name: c.full_name }))}
          />
        )}
      </div>
    </section>
  );
});
