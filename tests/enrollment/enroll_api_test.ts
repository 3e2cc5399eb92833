/**
 * ENR-1 through the real app: POST /api/enrollment/enroll and GET /api/enrollment/my, over the
 * embedded database or the server in DATABASE_URL. Courses are made here by the owner.
 */
import assert from "node:assert/strict";
import { withSeededApp } from "../support/app.ts";
import { api, claimsOf, createCourse, demo, login, person } from "./helpers.ts";

const ENROLL = "/api/enrollment/enroll";

Deno.test("enrolling is idempotent: 201 the first time, 200 with the same enrolment after", async () => {
  await withSeededApp(async (app, t) => {
    const course = await createCourse(t, { code: "IDEM-1", title: "Idempotence" });
    const token = await login(app, demo("student1"));
    const first = await api(app, token, ENROLL, { courseId: course.id });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(typeof first.body.enrollmentId, "string");
    assert.deepEqual(first.body.course, { id: course.id, code: "IDEM-1", title: "Idempotence" });
    const again = await api(app, token, ENROLL, { courseId: course.id });
    assert.equal(again.status, 200);
    assert.equal(again.body.enrollmentId, first.body.enrollmentId);
    assert.deepEqual(again.body.course, first.body.course);
    const [{ n }] = await t.owner.query<{ n: number }>(
      "select count(*)::int as n from public.enrollments where course_id = $1",
      [course.id],
    );
    assert.equal(n, 1);
  });
});

Deno.test("a missing prerequisite is refused with 422 naming the course to complete first", async () => {
  await withSeededApp(async (app, t) => {
    const algebra1 = await createCourse(t, { code: "ALG-1", title: "Algebra I", lessons: 1 });
    const algebra2 = await createCourse(t, {
      code: "ALG-2",
      title: "Algebra II",
      prerequisites: ["ALG-1"],
    });
    const token = await login(app, demo("student1"));
    const refused = await api(app, token, ENROLL, { courseId: algebra2.id });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error, "Complete Algebra I first.");

    // completing Algebra I (its only lesson) opens Algebra II
    assert.equal((await api(app, token, ENROLL, { courseId: algebra1.id })).status, 201);
    const student = await person(t, demo("student1"));
    await t.db.asUser(
      claimsOf(student),
      (q) => q("select public.complete_lesson($1)", [algebra1.lessonIds[0]]),
    );
    assert.equal((await api(app, token, ENROLL, { courseId: algebra2.id })).status, 201);
  });
});

Deno.test("a parent enrols both children in different courses; another's child is 403", async () => {
  await withSeededApp(async (app, t) => {
    const python = await createCourse(t, { code: "PY-1", title: "Introduction to Python" });
    const art = await createCourse(t, { code: "ART-1", title: "Drawing" });
    const child1 = await person(t, demo("student1"));
    const child2 = await person(t, demo("student2"));
    const notMine = await person(t, demo("student3"));
    const token = await login(app, demo("parent1"));

    const a = await api(app, token, ENROLL, { courseId: python.id, studentId: child1.id });
    const b = await api(app, token, ENROLL, { courseId: art.id, studentId: child2.id });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(b.status, 201, JSON.stringify(b.body));

    const other = await api(app, token, ENROLL, { courseId: python.id, studentId: notMine.id });
    assert.equal(other.status, 403);
    assert.equal(other.body.error, "You can enrol only your own children.");

    const none = await api(app, token, ENROLL, { courseId: python.id });
    assert.equal(none.status, 422);
    assert.equal(none.body.error, "Choose the student to enrol.");

    const my = await api(app, token, "/api/enrollment/my");
    assert.equal(my.status, 200);
    const enrollments = my.body.enrollments as {
      enrollmentId: string;
      student: { id: string; name: string };
      course: { code: string };
    }[];
    // the demo seed enrols the children in courses of its own; these two are ours
    const ours = enrollments.filter((e) => ["PY-1", "ART-1"].includes(e.course.code));
    assert.deepEqual(
      ours.map((e) => [e.student.id, e.course.code]).sort(),
      [[child1.id, "PY-1"], [child2.id, "ART-1"]].sort(),
    );
    assert.ok(enrollments.every((e) => [child1.id, child2.id].includes(e.student.id)));
    const students = my.body.students as { id: string; enrollmentIds: string[] }[];
    assert.deepEqual(students.map((s) => s.id).sort(), [child1.id, child2.id].sort());
    for (const e of ours) {
      assert.ok(
        students.find((s) => s.id === e.student.id)!.enrollmentIds.includes(e.enrollmentId),
      );
    }
  });
});

Deno.test("teachers cannot enrol; unknown, foreign and draft courses are 404; bad bodies 400", async () => {
  await withSeededApp(async (app, t) => {
    const course = await createCourse(t, { code: "T-1", instructors: ["teacher1"] });
    const draft = await createCourse(t, { code: "DRAFT-1", status: "draft" });
    const foreign = await createCourse(t, { code: "LAGOS-1", school: "lagos" });
    const student = await person(t, demo("student1"));

    const teacher = await login(app, demo("teacher1"));
    const byTeacher = await api(app, teacher, ENROLL, {
      courseId: course.id,
      studentId: student.id,
    });
    assert.equal(byTeacher.status, 403);
    assert.equal(byTeacher.body.error, "Teachers cannot enrol students.");

    const token = await login(app, demo("student1"));
    for (const courseId of [crypto.randomUUID(), draft.id, foreign.id]) {
      const refused = await api(app, token, ENROLL, { courseId });
      assert.equal(refused.status, 404);
      assert.equal(refused.body.error, "Course not found.");
    }
    const bad = await api(app, token, ENROLL, { courseId: "not-a-uuid" });
    assert.equal(bad.status, 400);
    assert.ok((bad.body.fields as Record<string, string[]>).courseId);

    const other = await person(t, demo("student2"));
    const someoneElse = await api(app, token, ENROLL, { courseId: course.id, studentId: other.id });
    assert.equal(someoneElse.status, 403);
  });
});

Deno.test("my enrolments show progress as lessons are completed", async () => {
  await withSeededApp(async (app, t) => {
    const course = await createCourse(t, { code: "PROG-1", title: "Progress", lessons: 4 });
    const empty = await createCourse(t, { code: "EMPTY-1", title: "No lessons yet" });
    const token = await login(app, demo("student1"));
    await api(app, token, ENROLL, { courseId: course.id });
    await api(app, token, ENROLL, { courseId: empty.id });
    const student = claimsOf(await person(t, demo("student1")));
    const progressOf = async (code: string) => {
      const my = await api(app, token, "/api/enrollment/my");
      assert.equal(my.status, 200);
      const found = (my.body.enrollments as {
        course: { code: string };
        progressPercent: number;
        lessonsCompleted: number;
        lessonsTotal: number;
        status: string;
      }[]).find((e) => e.course.code === code)!;
      return [found.progressPercent, found.lessonsCompleted, found.lessonsTotal, found.status];
    };
    assert.deepEqual(await progressOf("PROG-1"), [0, 0, 4, "enrolled"]);
    assert.deepEqual(await progressOf("EMPTY-1"), [0, 0, 0, "enrolled"]);
    await t.db.asUser(
      student,
      (q) => q("select public.complete_lesson($1)", [course.lessonIds[0]]),
    );
    assert.deepEqual(await progressOf("PROG-1"), [25, 1, 4, "enrolled"]);
    for (const lessonId of course.lessonIds.slice(1, 3)) {
      await t.db.asUser(student, (q) => q("select public.complete_lesson($1)", [lessonId]));
    }
    assert.deepEqual(await progressOf("PROG-1"), [75, 3, 4, "enrolled"]);
    await t.db.asUser(
      student,
      (q) => q("select public.complete_lesson($1)", [course.lessonIds[3]]),
    );
    assert.deepEqual(await progressOf("PROG-1"), [100, 4, 4, "completed"]);

    // staff have no enrolments of their own
    const teacher = await login(app, demo("teacher1"));
    assert.deepEqual((await api(app, teacher, "/api/enrollment/my")).body.enrollments, []);
  });
});
