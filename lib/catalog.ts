/**
 * The course catalog (LMS-1), shared by `/api/lms/courses*` and `/portal/courses*`: the query
 * string's shape (zod), one page of courses through `public.catalog()` — RLS decides what the
 * caller sees — and one course with its outline and the caller's enrolment.
 */
import { isUuid } from "./ids.ts";
import { z } from "zod";
import type { Claims, Db } from "./db/types.ts";
import type { CachedCatalogPage, CatalogCache } from "./catalog_cache.ts";
import { catalogCacheRequests } from "./metrics.ts";

export const SORTS = ["title", "created", "code"] as const;
export const ORDERS = ["asc", "desc"] as const;

/** The catalog's query string; empty values (a form's blank fields) count as absent. */
export const CatalogQuery = z.object({
  page: z.coerce.number({ error: "page must be a whole number of 1 or more." })
    .int("page must be a whole number of 1 or more.")
    .min(1, "page must be a whole number of 1 or more.")
    .max(1_000_000, "page is too large.")
    .default(1),
  limit: z.coerce.number({ error: "limit must be between 1 and 100." })
    .int("limit must be between 1 and 100.")
    .min(1, "limit must be between 1 and 100.")
    .max(100, "limit must be between 1 and 100.")
    .default(20),
  subject: z.string().trim().max(60, "subject is too long.").optional(),
  grade: z.string().trim().max(20, "grade is too long.").optional(),
  q: z.string().trim().max(200, "q is too long.").optional(),
  sort: z.enum(SORTS, { error: "sort must be one of title, created, code." }).default("title"),
  order: z.enum(ORDERS, { error: "order must be one of asc, desc." }).default("asc"),
  mine: z.enum(["true", "false"], { error: "mine must be true or false." }).optional()
    .transform((v) => v === "true"),
});
export type CatalogQuery = z.infer<typeof CatalogQuery>;

/** Validates a URL's search parameters as a catalog query (first value of each, blanks dropped). */
export function parseCatalogQuery(params: URLSearchParams) {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(CatalogQuery.shape)) {
    const value = params.get(key);
    if (value !== null && value.trim() !== "") raw[key] = value;
  }
  return CatalogQuery.safeParse(raw);
}

export interface Instructor {
  id: string;
  name: string;
}

export interface CatalogCourse {
  id: string;
  code: string;
  title: string;
  subject: string;
  gradeLevel: string;
  description: string;
  capacity: number;
  /** Capacity less the enrolments not withdrawn (public.enroll()'s rule); 0 when full. */
  seatsLeft: number;
  status: "draft" | "published";
  createdAt: string;
  instructors: Instructor[];
}

export interface CatalogPage {
  courses: CatalogCourse[];
  total: number;
  page: number;
  limit: number;
}

interface CourseRow {
  id: string;
  code: string;
  title: string;
  subject: string;
  grade_level: string;
  description: string;
  capacity: number;
  seats_left: number;
  status: "draft" | "published";
  created_at: Date | string;
  instructors: Instructor[] | string;
  total?: number | string | bigint;
}

function toCourse(row: CourseRow): CatalogCourse {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    subject: row.subject,
    gradeLevel: row.grade_level,
    description: row.description,
    capacity: Number(row.capacity),
    seatsLeft: Number(row.seats_left),
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    instructors: typeof row.instructors === "string"
      ? JSON.parse(row.instructors)
      : row.instructors,
  };
}

/** One page of the catalog: $1 subject, $2 grade, $3 q, $4 sort, $5 order, $6 limit, $7 offset,
 * $8 mine (exported for `deno task bench:catalog`, whose bare handler runs the very same SQL). */
export const CATALOG_SQL = `select id, code, title, subject, grade_level, description, capacity,
        seats_left, status::text as status, created_at, instructors, total
   from public.catalog($1, $2, $3, $4, $5, $6, $7, $8)`;

/**
 * CATALOG_SQL's parameters for a query: the page it asks for, or `limit` courses from `offset`
 * (exported for `deno task bench:catalog`, whose bare handler runs the very same SQL).
 */
export function catalogParams(
  query: CatalogQuery,
  limit = query.limit,
  offset = (query.page - 1) * query.limit,
): unknown[] {
  return [
    query.subject ?? null,
    query.grade ?? null,
    query.q ?? null,
    query.sort,
    query.order,
    limit,
    offset,
    query.mine,
  ];
}

/**
 * CATALOG_SQL with the school's catalog version and the caller's audience beside its rows, read
 * in the same snapshot; one row of nulls but the two when the page is empty. Materialized: as a
 * plain subquery the two calls would be made again for every row of the page.
 */
const CATALOG_WITH_STATE_SQL = `with s as materialized (
     select public.catalog_version() as version, public.catalog_audience($8) as audience)
   select s.version::text as version, s.audience, c.*
   from s left join lateral (${CATALOG_SQL}) c on true`;

const VERSION_SQL = `select public.catalog_version()::text as version`;

interface StateRow extends Partial<CourseRow> {
  version: string;
  audience: string;
}

/** One page of the catalog as the database answers it now, with what it was answered at. */
async function readCatalog(db: Db, claims: Claims, query: CatalogQuery) {
  const rows = await db.userStatement<StateRow>(
    claims,
    CATALOG_WITH_STATE_SQL,
    catalogParams(query),
  );
  const courses = rows.filter((row) => row.id != null) as (StateRow & CourseRow)[];
  let total = courses.length > 0 ? Number(courses[0].total) : 0;
  let version: bigint | null = BigInt(rows[0].version);
  if (courses.length === 0 && query.page > 1) {
    // Past the last page: the total comes from the first row of the same query, in another
    // snapshot; the answer is kept only if nothing changed in between.
    const [first] = await db.userStatement<StateRow>(
      claims,
      CATALOG_WITH_STATE_SQL,
      catalogParams(query, 1, 0),
    );
    total = first.id != null ? Number(first.total) : 0;
    if (BigInt(first.version) !== version) version = null;
  }
  const page = { courses: courses.map(toCourse), total, page: query.page, limit: query.limit };
  return { page, version, audience: rows[0].audience };
}

/**
 * One page of the courses the caller may read (public.catalog: RLS, stable order), from `cache`
 * when it holds that page of the caller's audience at the school's current catalog version.
 */
export async function listCourses(
  db: Db,
  claims: Claims,
  query: CatalogQuery,
  cache: CatalogCache,
): Promise<CachedCatalogPage> {
  const tenantId = claims.app_metadata.tenant_id;
  const caller = `${JSON.stringify(claims)}\n${query.mine}`;
  const queryKey = JSON.stringify([query.page, ...catalogParams(query)]);
  // A caller seen before: one small statement for the version, then perhaps no catalog at all.
  if (cache.knows(caller)) {
    const [{ version }] = await db.userStatement<{ version: string }>(claims, VERSION_SQL);
    const audience = cache.audience(caller, tenantId, BigInt(version));
    const kept = audience && cache.page(tenantId, BigInt(version), audience, queryKey);
    catalogCacheRequests.inc({ result: kept ? "hit" : "miss" });
    if (kept) return kept;
  } else {
    catalogCacheRequests.inc({ result: "miss" });
  }
  const read = await readCatalog(db, claims, query);
  if (read.version === null) return { page: read.page, json: JSON.stringify(read.page) };
  return cache.remember(caller, tenantId, read.version, read.audience, queryKey, read.page);
}

export interface CourseModule {
  id: string;
  title: string;
  position: number;
  lessons: number;
}

export interface CourseDetail {
  course: CatalogCourse;
  modules: CourseModule[];
  enrollment: { status: "enrolled" | "completed" | "withdrawn" } | null;
}

/**
 * A course the caller may read, its outline (modules with lesson counts) and the caller's own
 * enrolment; null for an unknown id, another school's course, a draft they may not see, or a
 * malformed id — all alike.
 */
export async function courseDetail(
  db: Db,
  claims: Claims,
  courseId: string,
): Promise<CourseDetail | null> {
  if (!isUuid(courseId)) return null;
  return await db.asUser(claims, async (q) => {
    // The same instructors and seats as the catalog's cards (private.course_cards).
    const [row] = await q<CourseRow>(
      `select c.id, c.code, c.title, c.subject, c.grade_level, c.description, c.capacity,
              x.seats_left, c.status::text as status, c.created_at, x.instructors
         from public.courses c
         cross join private.course_cards(array[c.id]) x
        where c.id = $1`,
      [courseId],
    );
    if (!row) return null;
    const modules = await q<CourseModule>(
      `select id, title, position, lessons from public.course_outline($1)`,
      [courseId],
    );
    const [enrollment] = await q<{ status: "enrolled" | "completed" | "withdrawn" }>(
      `select e.status::text as status from public.enrollments e
        where e.course_id = $1 and e.student_id = auth.uid()`,
      [courseId],
    );
    return {
      course: toCourse(row),
      modules: modules.map((m) => ({
        ...m,
        position: Number(m.position),
        lessons: Number(m.lessons),
      })),
      enrollment: enrollment ? { status: enrollment.status } : null,
    };
  });
}

/** `/portal/courses?…` for a page of the same query (filters kept, defaults left out). */
export function catalogHref(base: string, query: CatalogQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.subject) params.set("subject", query.subject);
  if (query.grade) params.set("grade", query.grade);
  if (query.q) params.set("q", query.q);
  if (query.sort !== "title") params.set("sort", query.sort);
  if (query.order !== "asc") params.set("order", query.order);
  if (query.mine) params.set("mine", "true");
  if (query.limit !== 20) params.set("limit", String(query.limit));
  if (page !== 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `${base}?${search}` : base;
}
