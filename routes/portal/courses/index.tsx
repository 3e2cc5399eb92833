import { define } from "../../../lib/state.ts";
import { page } from "../../../lib/fresh/mod.ts";
import { fieldErrors } from "../../../lib/http/field_errors.ts";
import {
  catalogHref,
  type CatalogPage,
  type CatalogQuery,
  listCourses,
  parseCatalogQuery,
} from "../../../lib/catalog.ts";
import { Messages } from "../../../components/Messages.tsx";
import { SeatsLeft } from "../../../components/SeatsLeft.tsx";

interface CatalogData {
  result: CatalogPage;
  query: CatalogQuery;
  /** The raw values of the form, shown back as typed. */
  values: Record<string, string>;
  error?: string;
}

const DEFAULTS: CatalogQuery = {
  page: 1,
  limit: 20,
  sort: "title",
  order: "asc",
  mine: false,
};

/** The catalog: a plain GET form (subject, grade, search, sort) and one page of course cards. */
export const handler = define.handlers({
  async GET(ctx) {
    const values = Object.fromEntries(
      ["subject", "grade", "q", "sort", "order"].map((k) => [k, ctx.url.searchParams.get(k) ?? ""]),
    );
    const parsed = parseCatalogQuery(ctx.url.searchParams);
    if (!parsed.success) {
      const problems = Object.values(fieldErrors(parsed.error)).flat().join(" ");
      return page<CatalogData>({
        result: { courses: [], total: 0, page: 1, limit: DEFAULTS.limit },
        query: DEFAULTS,
        values,
        error: problems,
      }, { status: 400 });
    }
    const { page: result } = await listCourses(
      ctx.state.db,
      ctx.state.session!,
      parsed.data,
      ctx.state.catalog,
    );
    return page<CatalogData>({ result, query: parsed.data, values });
  },
});

const input = "block w-full rounded border border-stone-400 px-3 py-2";

export default define.page<typeof handler>(({ data }) => {
  const { result, query, values } = data;
  const pages = Math.max(1, Math.ceil(result.total / result.limit));
  const sortValue = `${values.sort || query.sort}:${values.order || query.order}`;
  return (
    <section class="space-y-6">
      <div class="flex items-center justify-between">
        <h1 class="text-2xl font-bold">Courses</h1>
        <a href="/portal" class="text-emerald-800 underline">Portal</a>
      </div>
      <Messages error={data.error} />
      <form
        method="get"
        action="/portal/courses"
        class="grid gap-3 rounded border p-4 sm:grid-cols-5"
      >
        <label class="block space-y-1">
          <span class="font-semibold">Subject</span>
          <input
            name="subject"
            value={values.subject}
            placeholder="e.g. mathematics"
            class={input}
          />
        </label>
        <label class="block space-y-1">
          <span class="font-semibold">Grade</span>
          <input name="grade" value={values.grade} placeholder="e.g. 10" class={input} />
        </label>
        <label class="block space-y-1">
          <span class="font-semibold">Search</span>
          <input
            type="search"
            name="q"
            value={values.q}
            placeholder="Title or code"
            class={input}
          />
        </label>
        <label class="block space-y-1">
          <span class="font-semibold">Sort</span>
          <select name="sort" class={input}>
            {[["title", "Title"], ["code", "Code"], ["created", "Created"]].map(([v, label]) => (
              <option key={v} value={v} selected={(values.sort || query.sort) === v}>
                {label}
              </option>
            ))}
          </select>
          <select name="order" class={input} aria-label="Order">
            <option value="asc" selected={!sortValue.endsWith(":desc")}>Ascending</option>
            <option value="desc" selected={sortValue.endsWith(":desc")}>Descending</option>
          </select>
        </label>
        <div class="flex items-end">
          {query.mine && <input type="hidden" name="mine" value="true" />}
          {query.limit !== 20 && <input type="hidden" name="limit" value={String(query.limit)} />}
          <button type="submit" class="rounded bg-emerald-800 px-4 py-2 font-semibold text-white">
            Show courses
          </button>
        </div>
      </form>

      <p class="text-stone-700" data-testid="total">
        {result.total === 1 ? "1 course" : `${result.total} courses`}
      </p>
      {result.courses.length === 0
        ? <p class="text-stone-700">No courses match.</p>
        : (
          <ul class="grid gap-3 sm:grid-cols-2">
            {result.courses.map((c) => (
              <li key={c.id} class="space-y-1 rounded border border-stone-200 bg-white p-4">
                <p class="text-sm font-semibold text-emerald-800">
                  {c.code}
                  {c.status === "draft" && <span class="ml-2 text-amber-800">(draft)</span>}
                </p>
                <h2 class="text-lg font-bold">
                  <a href={`/portal/courses/${c.id}`} class="underline">{c.title}</a>
                </h2>
                <p class="text-sm text-stone-700">
                  {c.subject} · {c.gradeLevel} · {c.capacity} seats ·{" "}
                  <SeatsLeft capacity={c.capacity} seatsLeft={c.seatsLeft} />
                </p>
                <p class="text-sm text-stone-700">
                  {c.instructors.length > 0
                    ? `Taught by ${
                      c.instructors.map((i) => i.name).join(", ")
                    }`
                    : "No instructor yet"}
                </p>
              </li>
            ))}
          </ul>
        )}

      <nav aria-label="Pages" class="flex items-center gap-4">
        {result.page > 1 && (
          <a
            href={catalogHref("/portal/courses", query, result.page - 1)}
            rel="prev"
            class="underline"
          >
            Previous
          </a>
        )}
        <span>Page {result.page} of {pages}</span>
        {result.page < pages && (
          <a
            href={catalogHref("/portal/courses", query, result.page + 1)}
            rel="next"
            class="underline"
          >
            Next
          </a>
        )}
      </nav>
    </section>
  );
});
