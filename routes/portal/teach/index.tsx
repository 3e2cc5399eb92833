import { define } from "../../../lib/state.ts";
import { page } from "../../../lib/fresh/mod.ts";
import { listTeaching, type TeachingList } from "../../../lib/teaching/courses.ts";
import { buttonClass } from "./(_components)/Fields.tsx";

interface TeachingData {
  list: TeachingList;
  role: string;
}

const PAGE_SIZE = 50;

/** "My teaching": the courses the signed-in teacher teaches (every course for an admin), drafts included. */
export const handler = define.handlers({
  async GET(ctx) {
    const requested = Number(ctx.url.searchParams.get("page") ?? "1");
    const pageNo = Number.isInteger(requested) && requested >= 1 && requested <= 100_000
      ? requested
      : 1;
    const claims = ctx.state.session!;
    const list = await listTeaching(ctx.state.db, claims, pageNo, PAGE_SIZE);
    return page<TeachingData>({ list, role: claims.app_metadata.user_role });
  },
});

export default define.page<typeof handler>(({ data }) => {
  const { list } = data;
  const pages = Math.max(1, Math.ceil(list.total / list.limit));
  return (
    <section class="space-y-6">
      <a href="/portal" class="text-emerald-800 underline">Portal</a>
      <div class="flex flex-wrap items-center justify-between gap-4">
        <h1 class="text-2xl font-bold">
          {data.role === "admin" ? "Your school's courses" : "My teaching"}
        </h1>
        <a href="/portal/teach/new" class={buttonClass}>New course</a>
      </div>
      {list.courses.length === 0
        ? <p class="text-stone-700">You do not teach any course yet. Start with a new one.</p>
        : (
          <ul class="space-y-3" data-testid="teaching">
            {list.courses.map((c) => (
              <li key={c.id} class="rounded border border-stone-200 bg-white px-4 py-3">
                <div class="flex flex-wrap items-baseline justify-between gap-2">
                  <a
                    href={`/portal/teach/${c.id}`}
                    class="font-semibold text-emerald-800 underline"
                  >
                    {c.title}
                  </a>
                  <span
                    class={c.status === "draft"
                      ? "rounded bg-amber-100 px-2 text-sm text-amber-900"
                      : "rounded bg-emerald-100 px-2 text-sm text-emerald-900"}
                  >
                    {c.status === "draft" ? "Draft" : "Published"}
                  </span>
                </div>
                <p class="text-sm text-stone-700">
                  {c.code} · {c.subject} · {c.grade_level} · {c.modules}{" "}
                  {c.modules === 1 ? "module" : "modules"}, {c.lessons}{" "}
                  {c.lessons === 1 ? "lesson" : "lessons"} · {c.enrolled} of {c.capacity}{" "}
                  seats taken
                </p>
              </li>
            ))}
          </ul>
        )}
      {pages > 1 && (
        <nav aria-label="Pages" class="flex items-center gap-4">
          {list.page > 1 && (
            <a href={`/portal/teach?page=${list.page - 1}`} class="text-emerald-800 underline">
              Previous
            </a>
          )}
          <span>Page {list.page} of {pages}</span>
          {list.page < pages && (
            <a href={`/portal/teach?page=${list.page + 1}`} class="text-emerald-800 underline">
              Next
            </a>
          )}
        </nav>
      )}
    </section>
  );
});
