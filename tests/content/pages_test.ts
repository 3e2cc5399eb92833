/**
 * The lesson page and the course page's lesson list without JavaScript, per role: HTML
 * assertions for student, parent, teacher and outsiders, the "Mark complete" form, escaping.
 */
import assert from "node:assert/strict";
import { call, withSeededApp } from "../support/app.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";
import { demo, login, ORIGIN } from "../enrollment/helpers.ts";
import { algebra } from "./helpers.ts";

async function cookieFor(app: FreshApp, who: string, school = "nairobi") {
  return `elymica_access=${await login(app, demo(who, school))}`;
}

async function get(app: FreshApp, path: string, cookie: string) {
  const res = await call(app, path, { headers: { Cookie: cookie }, redirect: "manual" });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

const lessonPath = (courseId: string, lessonId: string) =>
  `/portal/courses/${courseId}/lessons/${lessonId}`;

Deno.test("lesson page: a student's video lesson plays from a signed URL, with prev/next and progress", async () => {
  await withSeededApp(async (app, t, files) => {
    const course = await algebra(t, files);
    const student = await cookieFor(app, "student3");
    const { status, html, headers } = await get(app, lessonPath(course.id, course.video), student);
    assert.equal(status, 200, html);
    assert.equal(headers.get("Cache-Control"), "private, no-store");
    assert.match(html, /<h1[^>]*>Numbers and indices: video lesson<\/h1>/);
    assert.match(html, /Module 1: Numbers and indices/);
    const video = /<video[^>]*>/.exec(html)![0];
    assert.match(video, /controls/);
    assert.match(video, /preload="metadata"/);
    const src = /src="([^"]+)"/.exec(video)![1].replaceAll("&amp;", "&");
    assert.match(src, /^\/files\/\d+\.0\.[\w-]+\/demo\/nairobi\/math-g10-alg1\/m1-l2\.mp4$/);
    const played = await call(app, src, { headers: { Range: "bytes=0-99" } });
    assert.equal(played.status, 206);
    await played.body?.cancel();
    assert.ok(html.includes(`href="${lessonPath(course.id, course.lessons[0])}"`), "previous");
    assert.ok(html.includes(`href="${lessonPath(course.id, course.lessons[2])}"`), "next");
    assert.match(html, /You have completed this lesson\./);
    assert.match(html, /4 of 9 lessons · 44%/);
    assert.ok(!/<script/i.test(html), "no script: the page has no island");
    const [{ views }] = await t.owner.query<{ views: number }>(
      "select coalesce(sum(view_count), 0)::int as views from public.lesson_views where lesson_id = $1",
      [course.video],
    );
    assert.equal(views, 1, "opening the page counts a view");
  });
});

Deno.test("lesson page: a PDF lesson in a frame with a download link; low-data mode skips the frame", async () => {
  await withSeededApp(async (app, t, files) => {
    const course = await algebra(t, files);
    const student = await cookieFor(app, "student3");
    const { html } = await get(app, lessonPath(course.id, course.pdf), student);
    const frame = /<iframe[^>]*src="([^"]+)"/.exec(html)!;
    assert.match(frame[1], /\/m3-l3\.pdf$/);
    const download = /<a href="([^"]+)"[^>]*>Download the PDF \((\d+) KB\)/.exec(html)!;
    const res = await call(app, download[1].replaceAll("&amp;", "&"));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("Content-Disposition")!, /^attachment;/);
    await res.body?.cancel();
    assert.ok(html.includes('rel="next"') === false, "the last lesson has no next");

    const lowData = await get(app, lessonPath(course.id, course.pdf), `${student}; low_data=1`);
    assert.ok(!lowData.html.includes("<iframe"));
    assert.match(lowData.html, /Download the PDF/);
    const video = await get(app, lessonPath(course.id, course.video), `${student}; low_data=1`);
    assert.match(/<video[^>]*>/.exec(video.html)![0], /preload="none"/);
  });
});

Deno.test("lesson page: Mark complete posts, redirects back with a message, progress rises", async () => {
  await withSeededApp(async (app, t) => {
    const course = await algebra(t);
    const student = await cookieFor(app, "student5");
    const path = lessonPath(course.id, course.lessons[0]);
    const before = await get(app, path, student);
    assert.match(before.html, /<form method="post"><button[^>]*>Mark complete<\/button><\/form>/);
    assert.match(before.html, /0 of 9 lessons · 0%/);
    const posted = await call(app, path, {
      method: "POST",
      headers: {
        Cookie: student,
        Origin: ORIGIN,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "",
      redirect: "manual",
    });
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get("Location"), `${path}?completed=1`);
    const after = await get(app, `${path}?completed=1`, student);
    assert.match(after.html, /role="status"[^>]*>Lesson marked complete\./);
    assert.match(after.html, /You have completed this lesson\./);
    assert.match(after.html, /1 of 9 lessons · 11%/);
    assert.ok(!after.html.includes("Mark complete"));

    // another site's form cannot complete lessons for the student
    const forged = await call(app, lessonPath(course.id, course.lessons[1]), {
      method: "POST",
      headers: {
        Cookie: student,
        Origin: "https://evil.example",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "",
      redirect: "manual",
    });
    assert.equal(forged.status, 403);
    await forged.body?.cancel();
    const my = await get(app, "/portal/my-courses", student);
    assert.match(my.html, /1 of 9 lessons · 11%/);
  });
});

Deno.test("lesson page: a text lesson is text — HTML in it is shown, never run", async () => {
  await withSeededApp(async (app, t) => {
    const course = await algebra(t);
    await t.owner.query("update public.lessons set body = $2 where id = $1", [
      course.lessons[0],
      'Line one\n<script>alert("x")</script><img src=x onerror=alert(1)>',
    ]);
    const { html } = await get(
      app,
      lessonPath(course.id, course.lessons[0]),
      await cookieFor(app, "student3"),
    );
    assert.ok(
      html.includes(
        "&lt;script>alert(&quot;x&quot;)&lt;/script>&lt;img src=x onerror=alert(1)>",
      ),
    );
    assert.ok(!/<script|<img/i.test(html));
  });
});

Deno.test("lesson page: a parent sees their child's progress, a teacher the lesson; neither the form", async () => {
  await withSeededApp(async (app, t, files) => {
    const course = await algebra(t, files);
    const parent = await get(
      app,
      lessonPath(course.id, course.video),
      await cookieFor(app, "parent2"),
    );
    assert.equal(parent.status, 200);
    assert.match(parent.html, /<video/);
    const [{ full_name }] = await t.owner.query<{ full_name: string }>(
      "select full_name from public.people where email = $1",
      [demo("student3")],
    );
    assert.ok(parent.html.includes(`${full_name}: 4 of 9 lessons · 44%`), full_name);
    assert.ok(!parent.html.includes("Mark complete"));

    const teacher = await get(
      app,
      lessonPath(course.id, course.video),
      await cookieFor(app, "teacher1"),
    );
    assert.equal(teacher.status, 200);
    assert.match(teacher.html, /<video/);
    assert.ok(!teacher.html.includes("Mark complete"));
    assert.ok(!teacher.html.includes("Course progress"));

    // a parent's crafted POST is refused by the database
    const posted = await call(app, lessonPath(course.id, course.video), {
      method: "POST",
      headers: {
        Cookie: await cookieFor(app, "parent2"),
        Origin: ORIGIN,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "",
      redirect: "manual",
    });
    assert.equal(posted.status, 403);
    assert.match(
      await posted.text(),
      /Only students enrolled in this course can complete its lessons/,
    );
  });
});

Deno.test("lesson page: outsiders are refused — 403 in the school, 404 elsewhere, sign-in when signed out", async () => {
  await withSeededApp(async (app, t) => {
    const course = await algebra(t);
    const path = lessonPath(course.id, course.video);
    for (const who of ["student4", "teacher2"]) {
      const res = await get(app, path, await cookieFor(app, who));
      assert.equal(res.status, 403, who);
      assert.match(res.html, /Only students enrolled in this course, their parents/);
      assert.ok(!res.html.includes("/files/"), "no file URL leaks");
    }
    const lagos = await get(app, path, await cookieFor(app, "student1", "lagos"));
    assert.equal(lagos.status, 404);
    const student = await cookieFor(app, "student3");
    const otherCourse = await get(app, lessonPath(course.modules[0], course.video), student);
    assert.equal(otherCourse.status, 404, "a lesson under another course's URL");
    assert.equal((await get(app, lessonPath(course.id, "nope"), student)).status, 404);
    const signedOut = await call(app, path, { redirect: "manual" });
    assert.equal(signedOut.status, 303);
    assert.match(signedOut.headers.get("Location")!, /^\/signin\?next=/);
  });
});

Deno.test("course page: modules as <details> with lesson links for those who may open them", async () => {
  await withSeededApp(async (app, t) => {
    const course = await algebra(t);
    const student = await get(
      app,
      `/portal/courses/${course.id}`,
      await cookieFor(app, "student3"),
    );
    assert.equal((student.html.match(/<details/g) ?? []).length, 3);
    assert.equal((student.html.match(/<details open[ >]/g) ?? []).length, 1, "the first is open");
    for (const id of course.lessons) {
      assert.ok(student.html.includes(`href="${lessonPath(course.id, id)}"`), id);
    }
    assert.match(student.html, /\(3 lessons, 3 done\)/);
    assert.ok(!/<script/i.test(student.html));

    const parent = await get(app, `/portal/courses/${course.id}`, await cookieFor(app, "parent2"));
    assert.ok(parent.html.includes(`href="${lessonPath(course.id, course.video)}"`));

    const outsider = await get(
      app,
      `/portal/courses/${course.id}`,
      await cookieFor(app, "student4"),
    );
    assert.equal(outsider.status, 200);
    assert.equal((outsider.html.match(/<details/g) ?? []).length, 3);
    assert.ok(!outsider.html.includes("/lessons/"), "no lesson links for a student not enrolled");
    assert.match(outsider.html, /The lessons open for the course's enrolled students/);
  });
});
