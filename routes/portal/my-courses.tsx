import { define } from "../../lib/state.ts";
import { page } from "../../lib/fresh/mod.ts";
import { type MyEnrollmentRow, myEnrollments, perStudent } from "../../lib/enrollment.ts";

type Enrollment = MyEnrollmentRow;

interface MyCoursesData {
  role: string;
  /** One group per student (a student has one: themself; a parent one per enrolled child). */
  groups: { studentId: string; studentName: string; enrollments: Enrollment[] }[];
}

/** ENR-1's "My courses": each enrolment with its progress; a parent sees each child's. */
export const handler = define.handlers({
  async GET(ctx) {
    const session = ctx.state.session!;
    const groups = perStudent(await myEnrollments(ctx.state.db, session)).map((g) => ({
      studentId: g.id,
      studentName: g.name,
      enrollments: g.enrollments,
    }));
    return page<MyCoursesData>({ role: session.app_metadata.user_role, groups });
  },
});

function EnrollmentItem({ e }: { e: Enrollment }) {
  const label = `${e.course_title}: ${e.progress_percent}% complete`;
  return (
    <li class="space-y-2 rounded border border-stone-200 bg-white px-4 py-3">
      <div class="flex flex-wrap items-baseline justify-between gap-2">
        <a href={`/portal/courses/${e.course_id}`} class="font-semibold text-emerald-800 underline">
          {e.course_title}
        </a>
        <span class="text-sm text-stone-600">
          {e.course_code} · {e.status === "completed" ? "Completed" : "Enrolled"}
        </span>
      </div>
      <progress
        class="block w-full"
        max={100}
        value={e.progress_percent}
        aria-label={label}
      >
        {e.progress_percent}%
      </progress>
      <p class="text-sm text-stone-700" data-testid="progress">
        {e.lessons_completed} of {e.lessons_total} lessons · {e.progress_percent}%
      </p>
    </li>
  );
}

export default define.page<typeof handler>(({ data }) => (
  <section class="space-y-6">
    <h1 class="text-2xl font-bold">
      {data.role === "parent" ? "My children's courses" : "My courses"}
    </h1>
    {data.groups.length === 0 && (
      <p class="text-stone-700">
        {data.role === "parent"
          ? "Your children are not enrolled in any course yet."
          : data.role === "student"
          ? "You are not enrolled in any course yet."
          : "Enrolments are for students and their parents."}
      </p>
    )}
    {data.groups.map((g) => (
      <section key={g.studentId} class="space-y-3" aria-label={g.studentName}>
        {data.role === "parent" && <h2 class="text-xl font-semibold">{g.studentName}</h2>}
        <ul class="space-y-3">
          {g.enrollments.map((e) => <EnrollmentItem key={e.enrollment_id} e={e} />)}
        </ul>
      </section>
    ))}
    <p>
      <a href="/portal" class="text-emerald-800 underline">Back to the portal</a>
    </p>
  </section>
));
