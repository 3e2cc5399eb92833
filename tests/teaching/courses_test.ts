/** Teaching tools, course level, without JavaScript: create, edit, prerequisites, publish. */
import assert from "node:assert/strict";
import {
  cookieFor,
  count,
  courseByCode,
  courseRow,
  demo,
  get,
  idFrom,
  post,
  withTeachingApp,
} from "./helpers.ts";

const good = {
  code: "bio-9",
  title: "Biology 9",
  subject: "Biology",
  grade_level: "Form 1",
  description: "Cells.",
  capacity: "25",
};

Deno.test("a teacher creates a draft course and becomes its instructor; bad input saves nothing", async () => {
  await withTeachingApp(async (app, t) => {
    const teacher = await cookieFor(app, "teacher1");
    const before = await count(t, "select from public.courses");

    const form = await get(app, "/portal/teach/new", teacher);
    assert.equal(form.status, 200);
    const formHtml = await form.text();
    assert.match(formHtml, /<form method="post" action="\/portal\/teach\/new"/);
    assert.ok(!/<script/i.test(formHtml), "a page without islands ships no script");

    const bad = await post(app, "/portal/teach/new", teacher, {
      ...good,
      code: "bad code!",
      title: " ",
      capacity: "0",
    });
    assert.equal(bad.status, 400);
    const badHtml = await bad.text();
    for (const field of ["code", "title", "capacity"]) {
      assert.match(badHtml, new RegExp(`data-field-error="${field}"`), field);
    }
    assert.match(badHtml, /Capacity must be a whole number between 1 and 10,000\./);
    assert.match(badHtml, /value="bad code!"/, "what was typed is shown again");
    assert.equal(await count(t, "select from public.courses"), before, "nothing created");

    const taken = await post(app, "/portal/teach/new", teacher, { ...good, code: "MATH-G10-ALG1" });
    assert.equal(taken.status, 409);
    assert.match(await taken.text(), /Another course of this school already has this code\./);
    assert.equal(await count(t, "select from public.courses"), before, "nothing created");

    const created = await post(app, "/portal/teach/new", teacher, good);
    assert.equal(created.status, 303);
    const id = idFrom(created.headers.get("Location"));
    assert.deepEqual(await courseRow(t, id), {
      code: "BIO-9",
      title: "Biology 9",
      subject: "biology",
      grade_level: "Form 1",
      description: "Cells.",
      capacity: 25,
      status: "draft",
    });
    assert.equal(
      await count(
        t,
        `select from public.course_instructors ci join public.people p on p.id = ci.teacher_id
          where ci.course_id = $1 and p.email = $2`,
        [id, demo("teacher1")],
      ),
      1,
      "the teacher teaches it",
    );

    const list = await (await get(app, "/portal/teach", teacher)).text();
    assert.match(list, /Biology 9<\/a><span[^>]*>Draft</);
    assert.match(list, /Mathematics: Algebra I/, "and the courses they already teach");
    assert.ok(!list.includes("English: Integrated Skills"), "not teacher2's courses");

    const adminList = await (await get(app, "/portal/teach", await cookieFor(app, "admin1")))
      .text();
    assert.match(adminList, /Biology 9/);
    assert.match(adminList, /English: Integrated Skills/, "an admin sees every course");
    assert.match(adminList, /History and Citizenship/, "drafts included");

    for (const who of ["student1", "parent1"]) {
      const refused = await get(app, "/portal/teach", await cookieFor(app, who));
      assert.equal(refused.status, 403, who);
      const create = await post(app, "/portal/teach/new", await cookieFor(app, who), good);
      assert.equal(create.status, 403, who);
    }
    const portal = await (await get(app, "/portal", teacher)).text();
    assert.match(portal, /href="\/portal\/teach"[^>]*>My teaching</);
  });
});

Deno.test("the course editor saves details and prerequisites together, or nothing", async () => {
  await withTeachingApp(async (app, t) => {
    const teacher = await cookieFor(app, "teacher1");
    const a = idFrom((await post(app, "/portal/teach/new", teacher, good)).headers.get("Location"));
    const b = idFrom(
      (await post(app, "/portal/teach/new", teacher, { ...good, code: "BIO-10", title: "Bio 10" }))
        .headers.get("Location"),
    );
    const editor = await get(app, `/portal/teach/${a}?done=created`, teacher);
    assert.equal(editor.status, 200);
    const editorHtml = await editor.text();
    assert.match(editorHtml, /Course created as a draft/);
    assert.ok(!/<script/i.test(editorHtml));

    const details = { ...good, code: "BIO-9", title: "Biology Nine", capacity: "30" };
    const saved = await post(app, `/portal/teach/${a}`, teacher, {
      ...details,
      add_prerequisite: "bio-10",
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get("Location"), `/portal/teach/${a}?done=saved`);
    assert.equal((await courseRow(t, a)).title, "Biology Nine");
    const prerequisites = (id: string) =>
      t.owner.query<{ code: string }>(
        `select p.code from public.course_prerequisites cp join public.courses p on p.id = cp.prerequisite_id
          where cp.course_id = $1 order by p.code`,
        [id],
      );
    assert.deepEqual(await prerequisites(a), [{ code: "BIO-10" }]);

    // A cycle is refused on its field, and the title changed in the same form is not saved.
    const cycle = await post(app, `/portal/teach/${b}`, teacher, {
      ...good,
      code: "BIO-10",
      title: "Renamed too",
      add_prerequisite: "BIO-9",
    });
    assert.equal(cycle.status, 422);
    const cycleHtml = await cycle.text();
    assert.match(
      cycleHtml,
      /data-field-error="add_prerequisite"[^>]*>A course cannot require itself, directly or through other courses/,
    );
    assert.equal((await courseRow(t, b)).title, "Bio 10", "nothing saved");

    const unknown = await post(app, `/portal/teach/${a}`, teacher, {
      ...details,
      title: "Not saved",
      keep_prerequisite: (await courseByCode(t, "BIO-10")).id,
      add_prerequisite: "NOPE-1",
    });
    assert.equal(unknown.status, 422);
    assert.match(
      await unknown.text(),
      /No course of your school that you can see has the code NOPE-1\./,
    );
    assert.equal((await courseRow(t, a)).title, "Biology Nine");

    const hidden = await post(app, `/portal/teach/${a}`, teacher, {
      ...details,
      add_prerequisite: "HIST-G10", // teacher2's draft: teacher1 cannot see it
    });
    assert.equal(hidden.status, 422);

    // Unticking removes; a published course of the school may be required.
    const replaced = await post(app, `/portal/teach/${a}`, teacher, {
      ...details,
      add_prerequisite: "ENG-G10",
    });
    assert.equal(replaced.status, 303);
    assert.deepEqual(await prerequisites(a), [{ code: "ENG-G10" }]);

    const blank = await post(app, `/portal/teach/${a}`, teacher, { ...details, title: "" });
    assert.equal(blank.status, 400);
    assert.match(await blank.text(), /data-field-error="title"[^>]*>Give a title\./);
  });
});

Deno.test("publishing needs a lesson; capacity cannot drop below the students enrolled", async () => {
  await withTeachingApp(async (app, t) => {
    const teacher = await cookieFor(app, "teacher1");
    const id = idFrom(
      (await post(app, "/portal/teach/new", teacher, good)).headers.get("Location"),
    );
    const empty = await post(app, `/portal/teach/${id}/status`, teacher, { status: "published" });
    assert.equal(empty.status, 422);
    assert.match(await empty.text(), /Add at least one lesson before publishing\./);
    assert.equal((await courseRow(t, id)).status, "draft");

    const algebra = await courseByCode(t, "MATH-G10-ALG1");
    const enrolled = await count(
      t,
      "select from public.enrollments where course_id = $1 and status <> 'withdrawn'",
      [algebra.id],
    );
    assert.ok(enrolled >= 2, `the seed enrols students in Algebra I (${enrolled})`);
    const editor = await (await get(app, `/portal/teach/${algebra.id}`, teacher)).text();
    assert.match(editor, new RegExp(`${enrolled} enrolled now; the capacity cannot be lower\\.`));
    const values = {
      code: "MATH-G10-ALG1",
      title: "Mathematics: Algebra I",
      subject: "mathematics",
      grade_level: "Grade 10",
      description: "",
      keep_prerequisite: [],
    };
    const tooSmall = await post(app, `/portal/teach/${algebra.id}`, teacher, {
      ...values,
      capacity: String(enrolled - 1),
    });
    assert.equal(tooSmall.status, 422);
    assert.match(
      await tooSmall.text(),
      new RegExp(
        `data-field-error="capacity"[^>]*>${enrolled} students are enrolled in this course; the capacity cannot be lower than that\\.`,
      ),
    );
    assert.equal((await courseRow(t, algebra.id)).capacity, algebra.capacity, "unchanged");
    const exact = await post(app, `/portal/teach/${algebra.id}`, teacher, {
      ...values,
      capacity: String(enrolled),
    });
    assert.equal(exact.status, 303);
    assert.equal((await courseRow(t, algebra.id)).capacity, enrolled);

    const unpublished = await post(app, `/portal/teach/${algebra.id}/status`, teacher, {
      status: "draft",
    });
    assert.equal(
      unpublished.headers.get("Location"),
      `/portal/teach/${algebra.id}?done=unpublished`,
    );
    assert.equal((await courseRow(t, algebra.id)).status, "draft");
    const republished = await post(app, `/portal/teach/${algebra.id}/status`, teacher, {
      status: "published",
    });
    assert.equal(republished.status, 303);
    assert.equal((await courseRow(t, algebra.id)).status, "published");
    const nonsense = await post(app, `/portal/teach/${algebra.id}/status`, teacher, {
      status: "archived",
    });
    assert.equal(nonsense.status, 400);
  });
});

Deno.test("other teachers get 403 (or 404 for a draft they cannot see), other schools 404", async () => {
  await withTeachingApp(async (app, t) => {
    const algebra = await courseByCode(t, "MATH-G10-ALG1"); // teacher1's, published
    const history = await courseByCode(t, "HIST-G10"); // teacher2's draft
    const teacher2 = await cookieFor(app, "teacher2");
    const before = await courseRow(t, algebra.id);
    const change = { ...good, code: "MATH-G10-ALG1", title: "Taken over" };

    assert.equal((await get(app, `/portal/teach/${algebra.id}`, teacher2)).status, 403);
    const refused = await post(app, `/portal/teach/${algebra.id}`, teacher2, change);
    assert.equal(refused.status, 403);
    assert.match(
      await refused.text(),
      /Only the course's instructors and the school's admins can change it\./,
    );
    assert.equal(
      (await post(app, `/portal/teach/${algebra.id}/status`, teacher2, { status: "draft" })).status,
      403,
    );
    assert.equal(
      (await post(app, `/portal/teach/${algebra.id}/modules`, teacher2, { title: "Mine" })).status,
      403,
    );
    assert.deepEqual(await courseRow(t, algebra.id), before, "nothing changed");

    const teacher1 = await cookieFor(app, "teacher1");
    assert.equal((await get(app, `/portal/teach/${history.id}`, teacher1)).status, 404);
    assert.equal((await get(app, "/portal/teach/not-an-id", teacher1)).status, 404);
    assert.equal((await get(app, `/portal/teach/${crypto.randomUUID()}`, teacher1)).status, 404);

    const lagosAdmin = await cookieFor(app, "admin1", "lagos");
    assert.equal((await get(app, `/portal/teach/${algebra.id}`, lagosAdmin)).status, 404);
    assert.equal((await post(app, `/portal/teach/${algebra.id}`, lagosAdmin, change)).status, 404);
    const lagosTeacher = await cookieFor(app, "teacher1", "lagos");
    assert.equal(
      (await post(app, `/portal/teach/${algebra.id}/status`, lagosTeacher, { status: "draft" }))
        .status,
      404,
    );
    assert.deepEqual(await courseRow(t, algebra.id), before, "nothing changed");

    // The school's admin may change any course of the school.
    const admin = await cookieFor(app, "admin1");
    assert.equal((await get(app, `/portal/teach/${history.id}`, admin)).status, 200);
    const byAdmin = await post(app, `/portal/teach/${history.id}`, admin, {
      ...good,
      code: "HIST-G10",
      title: "History, revised",
    });
    assert.equal(byAdmin.status, 303);
    assert.equal((await courseRow(t, history.id)).title, "History, revised");
  });
});
