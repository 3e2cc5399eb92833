/**
 * LMS-2 over HTTP on the demo seed: modules and lessons for those who may open them (enrolled
 * student, their parent, instructor, admin), refused for the rest (403 in the school, 404 across
 * schools and for unknown ids), signed file URLs that work and then stop working, completion and
 * views.
 */
import assert from "node:assert/strict";
import { call, withSeededApp } from "../support/app.ts";
import { api, demo, login } from "../enrollment/helpers.ts";
import { algebra } from "./helpers.ts";

Deno.test("modules: in order with lesson counts, the enrolled student's completion and progress", async () => {
  await withSeededApp(async (app, t) => {
    const course = await algebra(t);
    const student = await login(app, demo("student3"));
    const res = await api(app, student, `/api/content/modules/${course.id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.course, {
      id: course.id,
      code: "MATH-G10-ALG1",
      title: course.title,
    });
    const modules = res.body.modules as {
      id: string;
      position: number;
      lessons: number;
      completed: number;
    }[];
    assert.deepEqual(modules.map((m) => m.id), course.modules);
    assert.deepEqual(modules.map((m) => [m.position, m.lessons, m.completed]), [[1, 3, 3], [
      2,
      3,
      1,
    ], [3, 3, 0]]);
    assert.deepEqual(res.body.progress, { lessonsTotal: 9, lessonsCompleted: 4, percent: 44 });
    assert.equal(res.headers.get("Cache-Control"), "no-store");
  });
});

Deno.test("lessons: kind, duration, completion, signed file URLs that play and download", async () => {
  await withSeededApp(async (app, t, files) => {
    const course = await algebra(t, files);
    const student = await login(app, demo("student3"));
    const first = await api(app, student, `/api/content/lessons/${course.modules[0]}`);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    type Lesson = Record<string, unknown> & { id: string; fileUrl?: string; downloadUrl?: string };
    const lessons = first.body.lessons as Lesson[];
    assert.deepEqual(lessons.map((l) => [l.position, l.kind, l.completed]), [
      [1, "text", true],
      [2, "video", true],
      [3, "text", true],
    ]);
    assert.equal(typeof lessons[0].body, "string");
    assert.equal(lessons[0].fileUrl, undefined);
    const video = lessons[1];
    assert.equal(video.id, course.video);
    assert.equal(video.durationSeconds, 12);
    assert.equal(video.contentType, "video/mp4");
    assert.equal(video.downloadUrl, undefined);
    const size = (await Deno.stat(`${files.dir}/demo/nairobi/math-g10-alg1/m1-l2.mp4`)).size;
    assert.equal(video.byteSize, size);

    // A video's URL lives for its playback (twice its 12 s, plus 15 minutes); a PDF's 15 minutes.
    const lifetime = (url: string) =>
      Number(/\/files\/(\d+)\./.exec(url)![1]) - Math.floor(Date.now() / 1000);
    assert.ok(Math.abs(lifetime(video.fileUrl!) - (900 + 2 * 12)) <= 5, "a video URL's lifetime");

    // the signed URL plays: a range request as a video element makes it
    const played = await call(app, video.fileUrl!, { headers: { Range: "bytes=0-1023" } });
    assert.equal(played.status, 206);
    assert.equal(played.headers.get("Content-Type"), "video/mp4");
    assert.equal(played.headers.get("Content-Range"), `bytes 0-1023/${size}`);
    assert.equal((await played.arrayBuffer()).byteLength, 1024);

    const last = await api(app, student, `/api/content/lessons/${course.modules[2]}`);
    const pdf = (last.body.lessons as Lesson[]).find((l) => l.kind === "pdf")!;
    assert.equal(pdf.id, course.pdf);
    assert.equal(pdf.completed, false);
    assert.ok(Math.abs(lifetime(pdf.fileUrl!) - 900) <= 5, "a PDF URL's lifetime");
    const shown = await call(app, pdf.fileUrl!);
    assert.equal(shown.headers.get("Content-Type"), "application/pdf");
    assert.equal(shown.headers.get("Content-Disposition"), "inline");
    assert.match(await shown.text(), /^%PDF-1\.4/);
    const downloaded = await call(app, pdf.downloadUrl!);
    assert.match(
      downloaded.headers.get("Content-Disposition")!,
      /^attachment; filename="Linear equations and inequalities - worksheet \(PDF\)\.pdf"/,
    );
    assert.equal(String((await downloaded.arrayBuffer()).byteLength), String(pdf.byteSize));

    // … and stops working after 15 minutes (a video's after its playback time), or when
    // tampered with
    const tampered = await call(app, pdf.fileUrl!.replace("m3-l3.pdf", "m1-l2.mp4"));
    assert.equal(tampered.status, 403);
    assert.match(await tampered.text(), /not valid/);
    files.advance(15 * 60 * 1000 + 1);
    const expired = await call(app, pdf.fileUrl!);
    assert.equal(expired.status, 403);
    assert.match(await expired.text(), /expired/);
    const playing = await call(app, video.fileUrl!, { headers: { Range: "bytes=0-1" } });
    assert.equal(playing.status, 206, "the video still plays 15 minutes on");
    await playing.body?.cancel();
    files.advance(2 * 12 * 1000);
    const over = await call(app, video.fileUrl!, { headers: { Range: "bytes=0-1" } });
    assert.equal(over.status, 403);
    assert.match(await over.text(), /expired/);
  });
});

Deno.test("content: the enrolled student's parent, the instructor and the admin may open it", async () => {
  await withSeededApp(async (app, t, files) => {
    const course = await algebra(t, files);
    for (const who of ["parent2", "teacher1", "admin1"]) {
      const token = await login(app, demo(who));
      const modules = await api(app, token, `/api/content/modules/${course.id}`);
      assert.equal(modules.status, 200, `${who}: ${JSON.stringify(modules.body)}`);
      // completion is the caller's own: staff and parents have none
      assert.deepEqual(modules.body.progress, { lessonsTotal: 9, lessonsCompleted: 0, percent: 0 });
      const lessons = await api(app, token, `/api/content/lessons/${course.modules[0]}`);
      assert.equal(lessons.status, 200, who);
      const video = (lessons.body.lessons as { kind: string; fileUrl: string }[])[1];
      const res = await call(app, video.fileUrl, { method: "HEAD" });
      assert.equal(res.status, 200, who);
    }
  });
});

Deno.test("content: refused with 403 in the school — not enrolled, other parent, other teacher", async () => {
  await withSeededApp(async (app, t) => {
    const course = await algebra(t);
    // every Nairobi parent has a child in Algebra I; parent1's children take no Chemistry F3
    const [chemistry] = await t.owner.query<{ id: string; module_id: string }>(
      `select c.id, m.id as module_id from public.courses c
         join public.tenants s on s.id = c.tenant_id and s.slug = 'nairobi'
         join public.modules m on m.course_id = c.id and m.position = 1
        where c.code = 'CHEM-F3'`,
    );
    const cases = [
      ["student4", course.id, course.modules[1], course.video],
      ["teacher2", course.id, course.modules[1], course.video],
      ["parent1", chemistry.id, chemistry.module_id, null],
    ] as const;
    for (const [who, courseId, moduleId, lessonId] of cases) {
      const token = await login(app, demo(who));
      for (const path of [`/api/content/modules/${courseId}`, `/api/content/lessons/${moduleId}`]) {
        const res = await api(app, token, path);
        assert.equal(res.status, 403, `${who} ${path}`);
        assert.match(
          String(res.body.error),
          /Only students enrolled in this course, their parents/,
        );
        assert.equal(res.body.lessons, undefined);
      }
      if (lessonId) {
        const view = await api(app, token, `/api/content/lessons/${lessonId}/view`, {});
        assert.equal(view.status, 403, who);
      }
    }
  });
});

Deno.test("content: 404 across schools, for unknown and malformed ids; 401 signed out", async () => {
  await withSeededApp(async (app, t) => {
    const course = await algebra(t);
    const lagos = await login(app, demo("student1", "lagos"));
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (
      const [path, message] of [
        [`/api/content/modules/${course.id}`, "Course not found."],
        [`/api/content/lessons/${course.modules[0]}`, "Module not found."],
        [`/api/content/modules/${unknown}`, "Course not found."],
        [`/api/content/lessons/${unknown}`, "Module not found."],
        ["/api/content/modules/not-a-uuid", "Course not found."],
        ["/api/content/lessons/42", "Module not found."],
      ]
    ) {
      const res = await api(app, lagos, path);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.error, message, path);
    }
    const complete = await api(app, lagos, `/api/content/lessons/${course.video}/complete`, {});
    assert.equal(complete.status, 404);
    assert.equal(complete.body.error, "Lesson not found.");
    const signedOut = await call(app, `/api/content/modules/${course.id}`);
    assert.equal(signedOut.status, 401);
    await signedOut.body?.cancel();
  });
});

Deno.test("complete: a student completes a lesson once, progress rises; others are refused", async () => {
  await withSeededApp(async (app, t) => {
    const course = await algebra(t);
    const student = await login(app, demo("student5"));
    const first = await api(app, student, `/api/content/lessons/${course.lessons[0]}/complete`, {});
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual(first.body, {
      lessonId: course.lessons[0],
      created: true,
      enrollmentStatus: "enrolled",
      progress: { lessonsTotal: 9, lessonsCompleted: 1, percent: 11 },
    });
    const again = await api(app, student, `/api/content/lessons/${course.lessons[0]}/complete`, {});
    assert.equal(again.status, 200);
    assert.equal(again.body.created, false);
    const modules = await api(app, student, `/api/content/modules/${course.id}`);
    assert.deepEqual(modules.body.progress, { lessonsTotal: 9, lessonsCompleted: 1, percent: 11 });

    for (const who of ["parent2", "teacher1", "student4"]) {
      const token = await login(app, demo(who));
      const res = await api(app, token, `/api/content/lessons/${course.lessons[1]}/complete`, {});
      assert.equal(res.status, 403, who);
      assert.match(String(res.body.error), /Only students enrolled in this course can complete/);
    }
    const [{ n }] = await t.owner.query<{ n: number }>(
      "select count(*)::int as n from public.lesson_completions where lesson_id = $1",
      [course.lessons[1]],
    );
    assert.equal(n, 3, "only the seed's completions of lesson 2 (student1, student2, student3)");
  });
});

Deno.test("view: opening a lesson counts a view for the person", async () => {
  await withSeededApp(async (app, t) => {
    const course = await algebra(t);
    const student = await login(app, demo("student3"));
    const one = await api(app, student, `/api/content/lessons/${course.video}/view`, {});
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, { lessonId: course.video, views: 1 });
    const two = await api(app, student, `/api/content/lessons/${course.video}/view`, {});
    assert.equal(two.body.views, 2);
    // listing lessons is not viewing them
    await api(app, student, `/api/content/lessons/${course.modules[0]}`);
    const [{ views }] = await t.owner.query<{ views: number }>(
      "select coalesce(sum(view_count), 0)::int as views from public.lesson_views where course_id = $1",
      [course.id],
    );
    assert.equal(views, 2);
  });
});
