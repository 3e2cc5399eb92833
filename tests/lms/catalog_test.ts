/**
 * LMS-1 through the real app and database (embedded, or the server in DATABASE_URL): paging
 * 1000 courses, exact filters, parameter errors, tenant isolation, drafts, `mine`, and the
 * catalog and course pages without JavaScript. The tests create their own courses.
 */
import assert from "node:assert/strict";
import { call, testJwtSecret, withSeededApp } from "../support/app.ts";
import type { TestDatabase } from "../support/database.ts";
import { DEMO_PASSWORD } from "../../lib/demo.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";
import { type AccessClaims, verifyAccessToken } from "../../lib/auth/tokens.ts";
import { courseDetail } from "../../lib/catalog.ts";

const STUDENT = "student1@nairobi.demo.elymica.test";
const TEACHER = "teacher1@nairobi.demo.elymica.test";
const TEACHER2 = "teacher2@nairobi.demo.elymica.test";
const ADMIN = "admin1@nairobi.demo.elymica.test";

interface Session {
  bearer: { Authorization: string };
  cookie: string;
  claims: AccessClaims;
}

async function login(app: FreshApp, email: string): Promise<Session> {
  const response = await call(app, "/api/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  assert.equal(response.status, 200, `login ${email}`);
  const body = await response.json();
  const verified = verifyAccessToken(testJwtSecret, body.accessToken);
  assert.ok("claims" in verified);
  return {
    bearer: { Authorization: `Bearer ${body.accessToken}` },
    cookie: response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; "),
    claims: verified.claims,
  };
}

async function getJson(app: FreshApp, path: string, session?: Session) {
  const response = await call(app, path, { headers: session?.bearer ?? {} });
  return { status: response.status, body: await response.json() };
}

const schoolId = async (t: TestDatabase, slug: string) =>
  (await t.owner.query<{ id: string }>("select id from public.tenants where slug = $1", [slug]))[0]
    .id;

const personId = async (t: TestDatabase, email: string) =>
  (await t.owner.query<{ id: string }>("select id from public.people where email = $1", [email]))[0]
    .id;

/** Courses as the owner; returns their ids in code order. */
async function createCourses(
  t: TestDatabase,
  slug: string,
  rows: { code: string; title: string; subject: string; grade: string; status?: string }[],
): Promise<string[]> {
  const tenant = await schoolId(t, slug);
  const ids: string[] = [];
  for (const r of rows) {
    const [row] = await t.owner.query<{ id: string }>(
      `insert into public.courses (tenant_id, code, title, subject, grade_level, status, description)
       values ($1, $2, $3, $4, $5, $6::public.course_status, 'About ' || $3) returning id`,
      [tenant, r.code, r.title, r.subject, r.grade, r.status ?? "published"],
    );
    ids.push(row.id);
  }
  return ids;
}

async function teach(t: TestDatabase, courseId: string, email: string) {
  await t.owner.query(
    `insert into public.course_instructors (tenant_id, course_id, teacher_id)
     select c.tenant_id, c.id, $2 from public.courses c where c.id = $1`,
    [courseId, await personId(t, email)],
  );
}

Deno.test("1000 courses paged 20 at a time through the API: every course exactly once", async () => {
  await withSeededApp(async (app, t) => {
    const tenant = await schoolId(t, "nairobi");
    const mine = await t.owner.query<{ id: string }>(
      `insert into public.courses (tenant_id, code, title, subject, grade_level, status, created_at)
       select $1, 'PAGE-' || g, 'Course ' || (g % 7), 'paging', (g % 12 + 1)::text, 'published',
              '2026-01-01'::timestamptz + (g % 3) * interval '1 day'
       from generate_series(1, 1000) g
       returning id`,
      [tenant],
    );
    assert.equal(mine.length, 1000);
    const student = await login(app, STUDENT);
    for (const [sort, order] of [["title", "asc"], ["created", "desc"]]) {
      const seen = new Map<string, number>();
      let total = -1;
      const started = performance.now();
      for (let page = 1;; page++) {
        const { status, body } = await getJson(
          app,
          `/api/lms/courses?page=${page}&limit=20&sort=${sort}&order=${order}`,
          student,
        );
        assert.equal(status, 200);
        assert.equal(body.page, page);
        assert.equal(body.limit, 20);
        if (total === -1) total = body.total;
        assert.equal(body.total, total, "the total does not change between pages");
        for (const c of body.courses) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
        if (body.courses.length < 20) break;
        assert.ok(page < 200, "paging ends");
      }
      const ms = performance.now() - started;
      assert.equal(seen.size, total, `${sort} ${order}: as many distinct courses as the total`);
      assert.ok([...seen.values()].every((n) => n === 1), `${sort} ${order}: none repeated`);
      assert.ok(mine.every((r) => seen.has(r.id)), `${sort} ${order}: none of the 1000 skipped`);
      assert.ok(total >= 1000);
      console.log(`paged ${total} courses by ${sort} ${order} in ${Math.round(ms)} ms`);
    }
    // Past the last page: empty, with the real total
    const { body } = await getJson(app, "/api/lms/courses?subject=paging&page=999", student);
    assert.deepEqual(body.courses, []);
    assert.equal(body.total, 1000);
  });
});

Deno.test("filters are exact and search matches title or code in any case", async () => {
  await withSeededApp(async (app, t) => {
    await createCourses(t, "nairobi", [
      { code: "FLT-ALG10", title: "Filter Algebra", subject: "filtermaths", grade: "10" },
      { code: "FLT-ALG11", title: "Filter Calculus", subject: "filtermaths", grade: "11" },
      { code: "FLT-BIO10", title: "Filter Biology", subject: "filterbio", grade: "10" },
      { code: "FLT-BIO1", title: "Filter Biology One", subject: "filterbio", grade: "1" },
    ]);
    const student = await login(app, STUDENT);
    const codes = async (query: string) => {
      const { status, body } = await getJson(app, `/api/lms/courses?${query}`, student);
      assert.equal(status, 200, query);
      return body.courses.map((c: { code: string }) => c.code);
    };
    assert.deepEqual(await codes("subject=filtermaths&sort=code"), ["FLT-ALG10", "FLT-ALG11"]);
    assert.deepEqual(await codes("subject=filterbio&grade=1"), ["FLT-BIO1"]);
    assert.deepEqual(await codes("subject=filterbio&grade=10"), ["FLT-BIO10"]);
    assert.deepEqual(await codes("subject=filter"), [], "subject is not a prefix match");
    assert.deepEqual(await codes("q=filter%20calc"), ["FLT-ALG11"], "title, any case");
    assert.deepEqual(await codes("q=flt-bio&sort=code&order=desc"), ["FLT-BIO10", "FLT-BIO1"]);
    const { body } = await getJson(app, "/api/lms/courses?subject=filtermaths&limit=1", student);
    assert.equal(body.total, 2);
    assert.equal(body.courses.length, 1);
  });
});

Deno.test("bad parameters are a 400 naming the parameter; signed out is a 401", async () => {
  await withSeededApp(async (app) => {
    const student = await login(app, STUDENT);
    for (
      const [query, field] of [
        ["limit=101", "limit"],
        ["limit=0", "limit"],
        ["limit=abc", "limit"],
        ["sort=bogus", "sort"],
        ["order=up", "order"],
        ["page=0", "page"],
        ["page=1.5", "page"],
      ]
    ) {
      const { status, body } = await getJson(app, `/api/lms/courses?${query}`, student);
      assert.equal(status, 400, query);
      assert.deepEqual(Object.keys(body.fields), [field], query);
      assert.match(body.fields[field][0], new RegExp(field), query);
    }
    const { body } = await getJson(app, "/api/lms/courses?sort=bogus", student);
    assert.deepEqual(body.fields.sort, ["sort must be one of title, created, code."]);
    assert.equal((await getJson(app, "/api/lms/courses")).status, 401);
  });
});

Deno.test("another school's course is not found, exactly like an unknown or malformed id", async () => {
  await withSeededApp(async (app, t) => {
    const [lagos] = await createCourses(t, "lagos", [
      { code: "ISO-LAG", title: "Isolation Lagos", subject: "isolation", grade: "9" },
    ]);
    const [nairobi] = await createCourses(t, "nairobi", [
      { code: "ISO-NBO", title: "Isolation Nairobi", subject: "isolation", grade: "9" },
    ]);
    const student = await login(app, STUDENT);
    const page = async (id: string) => {
      const response = await call(app, `/portal/courses/${id}`, {
        headers: { Cookie: student.cookie },
      });
      const html = await response.text();
      return { status: response.status, leaks: /Isolation Lagos|ISO-LAG/.test(html) };
    };
    const other = await page(lagos);
    assert.deepEqual(other, { status: 404, leaks: false });
    assert.deepEqual(await page(crypto.randomUUID()), other);
    assert.deepEqual(await page("not-a-uuid"), other);
    for (const id of [lagos, crypto.randomUUID(), "not-a-uuid", "' or 1=1 --"]) {
      assert.equal(await courseDetail(t.db, student.claims, id), null, id);
    }
    assert.equal((await courseDetail(t.db, student.claims, nairobi))?.course.code, "ISO-NBO");
    const api = await getJson(app, `/api/lms/courses/${lagos}`, student);
    assert.deepEqual(api, { status: 404, body: { error: "Course not found." } });
    assert.deepEqual(await getJson(app, `/api/lms/courses/${crypto.randomUUID()}`, student), api);
    assert.deepEqual(await getJson(app, "/api/lms/courses/not-a-uuid", student), api);
    const found = await getJson(app, `/api/lms/courses/${nairobi}`, student);
    assert.equal(found.status, 200);
    assert.equal(found.body.course.code, "ISO-NBO");
    assert.deepEqual(found.body.modules, []);
    assert.equal(found.body.enrollment, null);
    assert.equal((await getJson(app, `/api/lms/courses/${nairobi}`)).status, 401);
    const list = await getJson(app, "/api/lms/courses?subject=isolation", student);
    assert.deepEqual(list.body.courses.map((c: { id: string }) => c.id), [nairobi]);
    const search = await getJson(app, "/api/lms/courses?q=Isolation%20Lagos", student);
    assert.equal(search.body.total, 0);
  });
});

Deno.test("a student never sees a draft; a teacher's mine=true is what they teach", async () => {
  await withSeededApp(async (app, t) => {
    const [published, draft, other] = await createCourses(t, "nairobi", [
      { code: "MINE-PUB", title: "Mine Published", subject: "minetest", grade: "8" },
      { code: "MINE-DRAFT", title: "Mine Draft", subject: "minetest", grade: "8", status: "draft" },
      { code: "MINE-OTHER", title: "Someone Else's", subject: "minetest", grade: "8" },
    ]);
    await teach(t, published, TEACHER);
    await teach(t, draft, TEACHER);
    await teach(t, other, TEACHER2);
    const [module] = await t.owner.query<{ id: string }>(
      `insert into public.modules (tenant_id, course_id, title, position)
       select tenant_id, id, 'Week one', 1 from public.courses where id = $1 returning id`,
      [published],
    );
    await t.owner.query(
      `insert into public.lessons (tenant_id, course_id, module_id, title, kind, position, body)
       select tenant_id, course_id, id, 'Hello ' || g, 'text', g, 'Hi'
       from public.modules, generate_series(1, 3) g where id = $1`,
      [module.id],
    );

    const student = await login(app, STUDENT);
    const list = await getJson(app, "/api/lms/courses?subject=minetest&sort=code", student);
    assert.deepEqual(list.body.courses.map((c: { code: string }) => c.code), [
      "MINE-OTHER",
      "MINE-PUB",
    ]);
    assert.equal(await courseDetail(t.db, student.claims, draft), null, "no draft by id");
    const drafted = await getJson(app, `/api/lms/courses/${draft}`, student);
    assert.deepEqual(drafted, { status: 404, body: { error: "Course not found." } });
    const detail = await courseDetail(t.db, student.claims, published);
    assert.ok(detail);
    assert.equal(detail.course.code, "MINE-PUB");
    assert.equal(detail.course.instructors.length, 1);
    assert.equal(typeof detail.course.instructors[0].name, "string");
    assert.deepEqual(
      detail.modules.map((m) => [m.title, m.position, m.lessons]),
      [["Week one", 1, 3]],
    );
    assert.equal(detail.enrollment, null);

    const teacher = await login(app, TEACHER);
    const mine = await getJson(app, "/api/lms/courses?mine=true&q=MINE-&sort=code", teacher);
    assert.deepEqual(mine.body.courses.map((c: { code: string }) => c.code), [
      "MINE-DRAFT",
      "MINE-PUB",
    ]);
    const teacher2 = await login(app, TEACHER2);
    assert.equal(
      await courseDetail(t.db, teacher2.claims, draft),
      null,
      "a draft is hidden from teachers who do not teach it",
    );
    assert.equal((await courseDetail(t.db, teacher.claims, draft))?.course.status, "draft");
    const admin = await login(app, ADMIN);
    const all = await getJson(app, "/api/lms/courses?subject=minetest", admin);
    assert.equal(all.body.total, 3, "an admin sees drafts too");
  });
});

Deno.test("the catalog page works without script and its pagination keeps the filters", async () => {
  await withSeededApp(async (app, t) => {
    const tenant = await schoolId(t, "nairobi");
    await t.owner.query(
      `insert into public.courses (tenant_id, code, title, subject, grade_level, status)
       select $1, 'PG-' || g, 'Page <b>' || g, 'pagetest', '7', 'published'
       from generate_series(1, 25) g`,
      [tenant],
    );
    const student = await login(app, STUDENT);
    const response = await call(
      app,
      "/portal/courses?subject=pagetest&grade=7&q=page&sort=code&limit=10&page=2",
      { headers: { Cookie: student.cookie } },
    );
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.ok(!/<script/i.test(html), "the catalog page ships no script");
    assert.match(html, /<form[^>]*method="get"/i);
    assert.match(html, /Page 2 of 3/);
    assert.ok(!html.includes("Page <b>"), "titles are escaped");
    const previous = /href="([^"]+)"[^>]*rel="prev"/.exec(html)?.[1];
    const next = /href="([^"]+)"[^>]*rel="next"/.exec(html)?.[1];
    assert.ok(previous && next, "previous and next links");
    for (const [href, page] of [[previous, null], [next, "3"]] as const) {
      const url = new URL(href.replaceAll("&amp;", "&"), "http://localhost");
      assert.equal(url.pathname, "/portal/courses");
      assert.equal(url.searchParams.get("subject"), "pagetest");
      assert.equal(url.searchParams.get("grade"), "7");
      assert.equal(url.searchParams.get("q"), "page");
      assert.equal(url.searchParams.get("sort"), "code");
      assert.equal(url.searchParams.get("limit"), "10");
      assert.equal(url.searchParams.get("page"), page);
    }
    const bad = await call(app, "/portal/courses?sort=bogus", {
      headers: { Cookie: student.cookie },
    });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /sort must be one of title, created, code/);
  });
});

Deno.test("the course page shows the outline and an enrol form; unknown ids are a 404", async () => {
  await withSeededApp(async (app, t) => {
    const [course] = await createCourses(t, "nairobi", [
      { code: "VIEW-1", title: "Viewable", subject: "viewtest", grade: "7" },
    ]);
    await teach(t, course, TEACHER);
    const student = await login(app, STUDENT);
    const response = await call(app, `/portal/courses/${course}`, {
      headers: { Cookie: student.cookie },
    });
    assert.equal(response.status, 200);
    const html = await response.text();
    // The enrol form is an island (a confirmation dialog); without script it still posts.
    assert.match(html, /<preact-island[^>]*data-island="EnrolForm"/);
    assert.match(html, /Viewable/);
    assert.match(html, /About Viewable/);
    assert.ok(
      html.includes(`<form method="post" action="/portal/courses/${course}/enrol"`),
      "a plain enrol form",
    );
    const teacher = await login(app, TEACHER);
    const asTeacher = await call(app, `/portal/courses/${course}`, {
      headers: { Cookie: teacher.cookie },
    });
    const teacherHtml = await asTeacher.text();
    assert.ok(!teacherHtml.includes("/enrol"), "no enrol button for a teacher");
    assert.ok(!/<script/i.test(teacherHtml), "without the enrol island the page ships no script");
    const missing = await call(app, `/portal/courses/${crypto.randomUUID()}`, {
      headers: { Cookie: student.cookie },
    });
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    const portal = await call(app, "/portal", { headers: { Cookie: student.cookie } });
    assert.match(await portal.text(), /href="\/portal\/courses"/);
  });
});
