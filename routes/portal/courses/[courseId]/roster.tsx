import { define } from "../../../../lib/state.ts";
import { HttpError, page } from "../../../../lib/fresh/mod.ts";
import { courseRoster, type RosterRow } from "../../../../lib/enrollment.ts";
import { isUuid } from "../../../../lib/ids.ts";

interface RosterData {
  course: { id: string; code: string; title: string };
  q: string;
  total: number;
  students: RosterRow[];
}

/**
 * ENR-2: a course's class list with guardians' contacts, for its instructors and the school's
 * admins (public.course_roster() refuses anyone else). `?q=` narrows it by name or email, on the
 * server; the CSV download is the API's.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const courseId = ctx.params.courseId;
    if (!isUuid(courseId)) throw new HttpError(404, "Course not found.");
    const q = (ctx.url.searchParams.get("q") ?? "").trim().slice(0, 200);
    const { students, course } = await courseRoster(ctx.state.db, ctx.state.session!, courseId);
    if (!course) throw new HttpError(404, "Course not found.");
    const needle = q.toLocaleLowerCase();
    const shown = needle
      ? students.filter((s) =>
        s.full_name.toLocaleLowerCase().includes(needle) ||
        (s.email ?? "").toLocaleLowerCase().includes(needle)
      )
      : students;
    return page<RosterData>({ course, q, total: students.length, students: shown });
  },
});

export default define.page<typeof handler>(({ data }) => (
  <section class="space-y-6">
    <div class="space-y-1">
      <p class="text-sm font-semibold uppercase tracking-wide text-emerald-800">
        {data.course.code}
      </p>
      <h1 class="text-2xl font-bold">Class roster: {data.course.title}</h1>
      <p class="text-stone-700">
        {data.q
          ? `${data.students.length} of ${data.total} students match “${data.q}”.`
          : `${data.total} students.`}
      </p>
    </div>
    <div class="flex flex-wrap items-end gap-4">
      <form method="get" role="search" class="flex flex-wrap items-end gap-2">
        <label class="block space-y-1">
          <span class="font-semibold">Search by name or email</span>
          <input
            type="search"
            name="q"
            value={data.q}
            class="block rounded border border-stone-400 px-3 py-2"
          />
        </label>
        <button type="submit" class="rounded border border-stone-400 px-4 py-2 font-semibold">
          Search
        </button>
      </form>
      <a
        href={`/api/enrollment/roster/${data.course.id}?format=csv`}
        download={`roster-${data.course.code}.csv`}
        class="rounded bg-emerald-800 px-4 py-2 font-semibold text-white"
      >
        Download CSV
      </a>
    </div>
    <div class="overflow-x-auto">
      <table class="w-full border-collapse text-left text-sm">
        <thead>
          <tr class="border-b border-stone-300">
            <th class="py-2 pr-4">Student</th>
            <th class="py-2 pr-4">Email</th>
            <th class="py-2">Parents and guardians</th>
          </tr>
        </thead>
        <tbody>
          {data.students.map((s) => (
            <tr key={s.student_id} class="border-b border-stone-200 align-top">
              <td class="py-2 pr-4 font-semibold">{s.full_name}</td>
              <td class="py-2 pr-4">{s.email ?? "—"}</td>
              <td class="py-2">
                {s.guardians.length === 0 ? "—" : (
                  <ul class="space-y-1">
                    {s.guardians.map((g, i) => (
                      <li key={i}>
                        {g.name}
                        {g.phone && (
                          <>
                            {" · "}
                            <a href={`tel:${g.phone}`} class="underline">{g.phone}</a>
                          </>
                        )}
                        {g.email && (
                          <>
                            {" · "}
                            <a href={`mailto:${g.email}`} class="underline">{g.email}</a>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <p>
      <a href={`/portal/courses/${data.course.id}`} class="text-emerald-800 underline">
        Back to the course
      </a>
    </p>
  </section>
));
