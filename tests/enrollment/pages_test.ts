/** ENR-1's pages without JavaScript: the enrol form and My courses. */
import assert from "node:assert/strict";
import { call, withSeededApp } from "../support/app.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";
import { claimsOf, createCourse, demo, login, ORIGIN, person } from "./helpers.ts";

async function cookieFor(app: FreshApp, who: string) {
  return `elymica_access=${await login(app, demo(who))}`;
}

const get = (app: FreshApp, path: string, cookie: string) =>
  call(app, path, { headers: { Cookie: cookie }, redirect: "manual" });

const post = (app: FreshApp, path: string, cookie: string, fields: Record<string, string> = {}) =>
  call(app, path, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: ORIGIN,
      Cookie: cookie,
    },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });

Deno.test("the enrol form enrols and goes back to the course; a refusal shows the database's words", async () => {
  await withSeededApp(async (app, t) => {
    const course = await createCourse(t, { code: "FORM-1", title: "Forms" });
    const full = await createCourse(t, { code: "FULL-1", title: "Tiny", capacity: 1 });
    const admin = claimsOf(await person(t, demo("admin1")));
    const student2 = await person(t, demo("student2"));
    await t.db.asUser(admin, (q) => q("select public.enroll($1, $2)", [full.id, student2.id]));

    const student = await cookieFor(app, "student1");
    const enrolled = await post(app, `/portal/courses/${course.id}/enrol`, student);
    assert.equal(enrolled.status, 303);
    assert.equal(enrolled.headers.get("Location"), `/portal/courses/${course.id}?enrolled=1`);

    const refused = await post(app, `/portal/courses/${full.id}/enrol`, student);
    assert.equal(refused.status, 409);
    const html = await refused.text();
    assert.match(html, /This course is full\./);
    assert.ok(html.includes(`href="/portal/courses/${full.id}"`), "a link back to the course");
    assert.ok(!/<script/i.test(html));

    const parent = await cookieFor(app, "parent1");
    const child = await post(app, `/portal/courses/${course.id}/enrol`, parent, {
      studentId: student2.id,
    });
    assert.equal(child.status, 303);
    const notMine = await person(t, demo("student3"));
    const forbidden = await post(app, `/portal/courses/${course.id}/enrol`, parent, {
      studentId: notMine.id,
    });
    assert.equal(forbidden.status, 403);
    assert.match(await forbidden.text(), /You can enrol only your own children\./);

    const teacher = await post(
      app,
      `/portal/courses/${course.id}/enrol`,
      await cookieFor(app, "teacher1"),
    );
    assert.equal(teacher.status, 403);
    assert.match(await teacher.text(), /Teachers cannot enrol students\./);
  });
});

Deno.test("My courses shows progress bars, per child for a parent, without script", async () => {
  await withSeededApp(async (app, t) => {
    const python = await createCourse(t, { code: "PY-1", title: "Intro to Python", lessons: 2 });
    const art = await createCourse(t, { code: "ART-1", title: "Drawing", lessons: 4 });
    const parent = await cookieFor(app, "parent1");
    const [child1, child2] = [await person(t, demo("student1")), await person(t, demo("student2"))];
    assert.equal(
      (await post(app, `/portal/courses/${python.id}/enrol`, parent, { studentId: child1.id }))
        .status,
      303,
    );
    assert.equal(
      (await post(app, `/portal/courses/${art.id}/enrol`, parent, { studentId: child2.id }))
        .status,
      303,
    );
    await t.db.asUser(
      claimsOf(child1),
      (q) => q("select public.complete_lesson($1)", [python.lessonIds[0]]),
    );

    const page = await get(app, "/portal/my-courses", parent);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(!/<script/i.test(html));
    assert.match(html, /<h2[^>]*>Brian Mwangi<\/h2>/);
    assert.match(html, /Intro to Python/);
    assert.match(html, /Drawing/);
    assert.match(html, /<progress[^>]*value="50"/);
    assert.match(html, /<progress[^>]*value="0"/);
    assert.match(html, /1 of 2 lessons · 50%/);

    const mine = await (await get(app, "/portal/my-courses", await cookieFor(app, "student1")))
      .text();
    assert.match(mine, /My courses/);
    assert.match(mine, /Intro to Python/);
    assert.ok(!mine.includes("Drawing"), "only the student's own");
  });
});

Deno.test("the course page offers a parent their own children, and staff the roster", async () => {
  await withSeededApp(async (app, t) => {
    const course = await createCourse(t, {
      code: "PICK-1",
      title: "Pick a child",
      instructors: ["teacher1"],
    });
    const children = await t.owner.query<{ full_name: string }>(
      `select s.full_name from public.guardian_links g
         join public.people s on s.id = g.student_id
         join public.people p on p.id = g.parent_id
        where p.email = $1 order by s.full_name`,
      [demo("parent1")],
    );
    assert.equal(children.length, 2);
    const html =
      await (await get(app, `/portal/courses/${course.id}`, await cookieFor(app, "parent1")))
        .text();
    const options = [...html.matchAll(/<option value="[0-9a-f-]{36}">([^<]+)<\/option>/g)]
      .map((m) => m[1]);
    assert.deepEqual(options, children.map((c) => c.full_name), "exactly the parent's children");
    assert.ok(!html.includes("/roster"), "no roster link for a parent");
    const teacher =
      await (await get(app, `/portal/courses/${course.id}`, await cookieFor(app, "teacher1")))
        .text();
    assert.ok(teacher.includes(`href="/portal/courses/${course.id}/roster"`));
    assert.ok(!teacher.includes('name="studentId"'));
  });
});
