/** A video lesson's editor shows its streaming versions, and tries again once the worker gave up. */
import assert from "node:assert/strict";
import type { TestDatabase } from "../support/database.ts";
import { cookieFor, get, post, withTeachingApp } from "./helpers.ts";

/** A demo video lesson that Nairobi's teacher1 teaches, and its course. */
async function taughtVideo(t: TestDatabase) {
  const [row] = await t.owner.query<{ id: string; course_id: string }>(
    `select l.id, l.course_id from public.lessons l
       join public.course_instructors ci on ci.tenant_id = l.tenant_id and ci.course_id = l.course_id
       join public.people p on p.tenant_id = ci.tenant_id and p.id = ci.teacher_id
      where l.kind = 'video' and p.email = 'teacher1@nairobi.demo.elymica.test'
      order by l.id limit 1`,
  );
  assert.ok(row, "teacher1 of Nairobi teaches a demo video lesson");
  return row;
}

const jobsOf = (t: TestDatabase, lessonId: string) =>
  t.owner.query<{ status: string }>(
    "select status from private.video_jobs where lesson_id = $1 order by id",
    [lessonId],
  );

Deno.test("video lessons: the streaming versions' state; Try again once the worker gave up", async () => {
  await withTeachingApp(async (app, t) => {
    const lesson = await taughtVideo(t);
    const page = `/portal/teach/${lesson.course_id}/lessons/${lesson.id}`;
    const teacher = await cookieFor(app, "teacher1");

    // The demo's job was queued when its lesson was seeded (no worker runs in these tests).
    let html = await (await get(app, page, teacher)).text();
    assert.match(html, /data-status="queued"/);
    assert.match(html, /Waiting for the video worker\./);
    assert.ok(!html.includes("Try again"), "nothing to retry while queued");
    const early = await post(app, `${page}/retry-video`, teacher);
    assert.equal(early.status, 409);
    assert.match(await early.text(), /Nothing to try again/);
    assert.equal((await jobsOf(t, lesson.id)).length, 1, "no job added");

    // The worker gives up (as private.video_job_claim does after the 5th attempt).
    await t.owner.query(
      `update private.video_jobs
          set status = 'dead', attempts = 5, finished_at = now(),
              last_error = 'The worker stopped reporting within 5 minutes'
        where lesson_id = $1`,
      [lesson.id],
    );
    html = await (await get(app, page, teacher)).text();
    assert.match(html, /data-status="dead"/);
    assert.match(
      html,
      /gave up after 5 attempts \(The worker stopped reporting within 5 minutes\)\. Students get the original file\./,
    );
    assert.match(html, /<button[^>]*>Try again<\/button>/);

    // Another teacher, and a student, cannot make it try again.
    const other = await post(app, `${page}/retry-video`, await cookieFor(app, "teacher2"));
    assert.ok([403, 404].includes(other.status), `another teacher: ${other.status}`);
    const student = await post(app, `${page}/retry-video`, await cookieFor(app, "student1"));
    assert.equal(student.status, 403);
    assert.deepEqual((await jobsOf(t, lesson.id)).map((j) => j.status), ["dead"]);

    const retried = await post(app, `${page}/retry-video`, teacher);
    assert.equal(retried.status, 303);
    assert.equal(retried.headers.get("Location"), `${page}?done=video-retried`);
    assert.deepEqual((await jobsOf(t, lesson.id)).map((j) => j.status), ["dead", "queued"]);
    html = await (await get(app, `${page}?done=video-retried`, teacher)).text();
    assert.match(html, /The video worker will try again\./);
    assert.match(html, /data-status="queued"/);

    // A file that cannot be transcoded is not retried: another upload is the way.
    await t.owner.query(
      `update private.video_jobs set status = 'failed', finished_at = now(),
              last_error = 'The file is not a video ffmpeg can read'
        where lesson_id = $1 and status = 'queued'`,
      [lesson.id],
    );
    html = await (await get(app, page, teacher)).text();
    assert.match(html, /could not be prepared \(The file is not a video ffmpeg can read\)/);
    assert.ok(!html.includes("Try again"));
    const failed = await post(app, `${page}/retry-video`, teacher);
    assert.equal(failed.status, 409);
    assert.match(await failed.text(), /upload another file/);
  });
});
