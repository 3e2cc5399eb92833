/** Who teaches a course, without JavaScript: the school's admins add and remove instructors. */
import assert from "node:assert/strict";
import type { TestDatabase } from "../support/database.ts";
import { cookieFor, demo, get, idFrom, post, withTeachingApp } from "./helpers.ts";
import { person } from "../enrollment/helpers.ts";

const instructorsOf = async (t: TestDatabase, courseId: string) =>
  (await t.owner.query<{ email: string }>(
    `select p.email from public.course_instructors ci
       join public.people p on p.tenant_id = ci.tenant_id and p.id = ci.teacher_id
      where ci.course_id = $1 order by p.email`,
    [courseId],
  )).map((r) => r.email.split("@")[0]);

const personId = async (t: TestDatabase, who: string, school = "nairobi") =>
  (await person(t, demo(who, school))).id;

const course = {
  code: "ART-9",
  title: "Art 9",
  subject: "art",
  grade_level: "9",
  description: "",
  capacity: "30",
};

Deno.test("an admin assigns teachers to a new course, publishes it, and keeps one instructor", async () => {
  await withTeachingApp(async (app, t) => {
    const admin = await cookieFor(app, "admin1");
    const id = idFrom(
      (await post(app, "/portal/teach/new", admin, course)).headers.get("Location"),
    );
    const base = `/portal/teach/${id}`;
    const [first, second] = [await person(t, demo("teacher1")), await person(t, demo("teacher2"))];
    const [teacher1, teacher2] = [first.id, second.id];

    // An admin's course starts with nobody; the form offers the school's teachers.
    let editor = await (await get(app, base, admin)).text();
    assert.match(editor, /Nobody teaches this course yet\./);
    assert.match(
      editor,
      new RegExp(`<option value="${teacher1}"[^>]*>${first.full_name}</option>`),
    );

    // With a lesson but no instructor, publishing is refused and says why.
    await post(app, `${base}/modules`, admin, { title: "Colour" });
    const [module] = await t.owner.query<{ id: string }>(
      "select id from public.modules where course_id = $1",
      [id],
    );
    const lesson = await post(app, `${base}/modules/${module.id}/lessons/new`, admin, {
      title: "Mixing",
      kind: "text",
      body: "Red and yellow.",
      duration_minutes: "5",
    });
    assert.equal(lesson.status, 303, await lesson.text());
    const refused = await post(app, `${base}/status`, admin, { status: "published" });
    assert.equal(refused.status, 422);
    assert.match(await refused.text(), /Assign a teacher to this course before publishing it\./);

    for (const teacher of [teacher1, teacher2]) {
      const added = await post(app, `${base}/instructors`, admin, { teacher_id: teacher });
      assert.equal(added.status, 303);
      assert.equal(added.headers.get("Location"), `${base}?done=instructor-added#instructors`);
    }
    // Adding one twice (a double click) changes nothing.
    assert.equal(
      (await post(app, `${base}/instructors`, admin, { teacher_id: teacher1 })).status,
      303,
    );
    assert.deepEqual(await instructorsOf(t, id), ["teacher1", "teacher2"]);
    editor = await (await get(app, `${base}?done=instructor-added`, admin)).text();
    assert.match(editor, /Instructor added\./);
    assert.ok(editor.includes(`aria-label="Remove ${first.full_name}"`), "a Remove button each");
    assert.match(editor, /Every teacher of the school already teaches it\./);

    const published = await post(app, `${base}/status`, admin, { status: "published" });
    assert.equal(published.status, 303);

    // The new instructor now sees it among their courses and may edit it, not assign others.
    const teacher = await cookieFor(app, "teacher2");
    const theirs = await get(app, base, teacher);
    assert.equal(theirs.status, 200);
    const theirPage = await theirs.text();
    assert.match(theirPage, /The school.*s admins choose who teaches a course\./);
    assert.ok(!theirPage.includes("Add instructor"), "no add form for an instructor");
    const notTheirs = await post(app, `${base}/instructors/${teacher1}/remove`, teacher);
    assert.equal(notTheirs.status, 403);
    assert.match(
      await notTheirs.text(),
      /Only the school.*s admins can change who teaches a course\./,
    );
    assert.equal(
      (await post(app, `${base}/instructors`, teacher, { teacher_id: teacher1 })).status,
      403,
    );
    assert.deepEqual(await instructorsOf(t, id), ["teacher1", "teacher2"], "nothing changed");

    // Removing down to one works; the last of a published course stays.
    const removed = await post(app, `${base}/instructors/${teacher1}/remove`, admin);
    assert.equal(removed.status, 303);
    assert.equal(removed.headers.get("Location"), `${base}?done=instructor-removed#instructors`);
    const last = await post(app, `${base}/instructors/${teacher2}/remove`, admin);
    assert.equal(last.status, 409);
    assert.match(await last.text(), /A published course needs at least one instructor/);
    assert.deepEqual(await instructorsOf(t, id), ["teacher2"]);
    // Removing one who no longer teaches it (a second click) changes nothing.
    assert.equal((await post(app, `${base}/instructors/${teacher1}/remove`, admin)).status, 303);
  });
});

Deno.test("adding an instructor: bad choices are refused next to the field, nothing stored", async () => {
  await withTeachingApp(async (app, t) => {
    const admin = await cookieFor(app, "admin1");
    const id = idFrom(
      (await post(app, "/portal/teach/new", admin, course)).headers.get("Location"),
    );
    const base = `/portal/teach/${id}`;

    const none = await post(app, `${base}/instructors`, admin, { teacher_id: "" });
    assert.equal(none.status, 400);
    assert.match(await none.text(), /data-field-error="teacher_id"[^>]*>Choose a teacher\./);

    const student = await post(app, `${base}/instructors`, admin, {
      teacher_id: await personId(t, "student1"),
    });
    assert.equal(student.status, 422);
    assert.match(
      await student.text(),
      /data-field-error="teacher_id"[^>]*>Only a teacher can teach a course; this person is a student/,
    );

    await t.owner.query("update public.people set status = 'disabled' where email = $1", [
      "teacher2@nairobi.demo.elymica.test",
    ]);
    const disabled = await post(app, `${base}/instructors`, admin, {
      teacher_id: await personId(t, "teacher2"),
    });
    assert.equal(disabled.status, 422);
    assert.match(await disabled.text(), /This teacher.*s account is disabled/);

    const elsewhere = await post(app, `${base}/instructors`, admin, {
      teacher_id: await personId(t, "teacher1", "lagos"),
    });
    assert.equal(elsewhere.status, 422, "another school's teacher");
    assert.deepEqual(await instructorsOf(t, id), []);

    // Another school's admin cannot see the course at all.
    const lagosAdmin = await cookieFor(app, "admin1", "lagos");
    const foreign = await post(app, `${base}/instructors`, lagosAdmin, {
      teacher_id: await personId(t, "teacher1", "lagos"),
    });
    assert.equal(foreign.status, 404);
    assert.deepEqual(await instructorsOf(t, id), []);
  });
});
