import { define } from "../../lib/state.ts";
import { HttpError, page } from "../../lib/fresh/mod.ts";
import { currentPerson } from "../../lib/auth/me.ts";

/** What each portal offers: entries without a page yet say so (later issues add them). */
const NAVIGATION: Record<string, [label: string, href?: string][]> = {
  student: [["Courses", "/portal/courses"], ["My courses", "/portal/my-courses"], [
    "Assignments",
  ], ["Grades"]],
  teacher: [["My teaching", "/portal/teach"], ["My classes", "/portal/courses?mine=true"], [
    "Assignments to grade",
  ]],
  parent: [["Courses", "/portal/courses"], ["My children's courses", "/portal/my-courses"], [
    "Tuition payments",
  ]],
  admin: [
    ["People", "/portal/admin/people"],
    ["Courses", "/portal/courses"],
    [
      "Edit courses",
      "/portal/teach",
    ],
    ["Audit log"],
    [
      "School settings",
    ],
  ],
};

export const handler = define.handlers({
  async GET(ctx) {
    const me = await currentPerson(ctx.state.db, ctx.state.session!);
    if (!me) throw new HttpError(401, "Please sign in to continue.");
    return page(me);
  },
});

/** The portal shell: who is signed in, their school, and their role's navigation. */
export default define.page<typeof handler>(({ data }) => (
  <section class="space-y-6">
    <div class="space-y-1">
      <p class="text-sm font-semibold uppercase tracking-wide text-emerald-800">
        {data.tenant.name} · {data.user.role}
      </p>
      <h1 class="text-2xl font-bold" data-testid="welcome">Welcome, {data.user.fullName}</h1>
    </div>
    <nav aria-label="Portal">
      <ul class="grid gap-3 sm:grid-cols-2">
        {(NAVIGATION[data.user.role] ?? []).map(([label, href]) => (
          <li key={label} class="rounded border border-stone-200 bg-white px-4 py-3">
            {href
              ? <a href={href} class="font-semibold text-emerald-800 underline">{label}</a>
              : (
                <span class="text-stone-700">
                  {label} <span class="text-sm text-stone-500">(coming soon)</span>
                </span>
              )}
          </li>
        ))}
      </ul>
    </nav>
    <div class="flex flex-wrap items-center gap-4">
      <a href="/portal/password" class="text-emerald-800 underline">Change password</a>
      <form method="post" action="/signout">
        <button type="submit" class="rounded border border-stone-400 px-4 py-2 font-semibold">
          Sign out
        </button>
      </form>
    </div>
  </section>
));
