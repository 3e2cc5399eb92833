/**
 * Teaching tools in a real browser: a teacher creates a course, adds a module and a PDF lesson
 * through the upload island (its progress bar reaches its maximum), publishes the course, and a
 * student finds it in the catalog. The same upload form also works with JavaScript off.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Browser } from "playwright-core";
import { launch, signInAs, skipWithoutBrowser, watch } from "../support/browser.ts";
import { openTestDatabase } from "../support/database.ts";
import { openTestStorage, quietLog, testJwtSecret } from "../support/app.ts";
import { createElymicaApp } from "../../lib/app.ts";
import { listAll, PDF_BYTES } from "../storage/samples.ts";

const email = (who: string) => `${who}@nairobi.demo.elymica.test`;

/** A PDF of about 1.5 MB: large enough for the browser to report upload progress as it goes. */
function samplePdf(): Uint8Array {
  const bytes = new Uint8Array(1_500_000).fill(0x20);
  bytes.set(PDF_BYTES);
  return bytes;
}

Deno.test({
  name:
    "browser: a teacher builds a course with a PDF lesson (progress island), publishes it; a student finds it",
  ignore: skipWithoutBrowser,
  async fn() {
    const t = await openTestDatabase({ seed: true });
    await using files = await openTestStorage();
    const app = await createElymicaApp({
      db: t.db,
      storage: files.storage,
      jwtSecret: testJwtSecret,
      log: quietLog(),
    });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    let browser: Browser | undefined;
    try {
      browser = await launch();
      const context = await browser.newContext();
      // Every value the progress bar takes, reported from the page (across navigations).
      const progress: { percent: number; max: number }[] = [];
      await context.exposeBinding(
        "reportUploadProgress",
        (_source, percent: number, max: number) => void progress.push({ percent, max }),
      );
      await context.addInitScript(() => {
        const report = (globalThis as unknown as {
          reportUploadProgress: (percent: number, max: number) => void;
        }).reportUploadProgress;
        document.addEventListener("DOMContentLoaded", () => {
          new MutationObserver((changes) => {
            for (const change of changes) {
              const bar = change.target as HTMLProgressElement;
              if (bar.dataset.testid === "upload-progress") {
                report(Number(bar.dataset.percent), bar.max);
              }
            }
          }).observe(document.body, {
            subtree: true,
            attributes: true,
            attributeFilter: ["data-percent"],
          });
        });
      });
      const teacher = await context.newPage();
      const problems = watch(teacher);
      await signInAs(teacher, base, email("teacher1"), "/portal");
      await teacher.click("text=My teaching");
      await teacher.waitForURL(`${base}/portal/teach`);
      await teacher.click("text=New course");

      await teacher.fill('input[name="title"]', "Astronomy for Form 2");
      await teacher.fill('input[name="code"]', "astro-f2");
      await teacher.fill('input[name="subject"]', "physics");
      await teacher.fill('input[name="grade_level"]', "Form 2");
      await teacher.fill('textarea[name="description"]', "The sky over Nairobi.");
      await teacher.fill('input[name="capacity"]', "35");
      await teacher.click('button:has-text("Create the course")');
      await teacher.waitForURL(/\/portal\/teach\/[0-9a-f-]{36}\?done=created$/);
      const courseUrl = teacher.url().replace(/\?.*$/, "");
      assert.match(
        await teacher.locator('[data-testid="course-status"]').textContent() ?? "",
        /Draft/,
      );

      await teacher.fill("#new_module_title", "The Moon");
      await teacher.click('button:has-text("Add module")');
      await teacher.waitForURL(/done=module-added/);
      await teacher.click('a:has-text("1. The Moon")');
      await teacher.click('a:has-text("Add a PDF lesson")');

      // The island takes over the form: it uploads with a progress bar.
      await teacher.locator('form[data-enhanced="true"]').waitFor();
      await teacher.fill('input[name="title"]', "Phases of the Moon");
      await teacher.fill('input[name="duration_minutes"]', "20");
      await teacher.setInputFiles('input[name="file"]', {
        name: "phases.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from(samplePdf()),
      });
      await teacher.click('button:has-text("Add the lesson")');
      await teacher.waitForURL(/done=lesson-added/);
      assert.ok(progress.length > 0, "the progress bar moved");
      assert.deepEqual(progress.at(-1), { percent: 100, max: 100 }, "and reached its maximum");
      assert.match(
        await teacher.locator('[data-testid="lessons"]').innerText(),
        /Phases of the Moon/,
      );
      const [lesson] = await t.owner.query<{ storage_path: string; byte_size: string }>(
        `select l.storage_path, l.byte_size::text as byte_size from public.lessons l
           join public.courses c on c.id = l.course_id where c.code = 'ASTRO-F2'`,
      );
      assert.equal(lesson.byte_size, String(samplePdf().length));
      assert.ok((await listAll(files.dir)).includes(lesson.storage_path), "the file is stored");

      await teacher.goto(courseUrl);
      await teacher.click('button:has-text("Publish")');
      await teacher.waitForURL(/done=published/);
      assert.match(
        await teacher.locator('[data-testid="course-status"]').textContent() ?? "",
        /Published/,
      );
      assert.deepEqual(problems, [], "no console errors or failed requests");

      // Without JavaScript the same form posts and redirects.
      const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
      await signInAs(plain, base, email("teacher1"), "/portal/teach");
      await plain.goto(`${courseUrl}`);
      await plain.click('a:has-text("1. The Moon")');
      await plain.click('a:has-text("Add a PDF lesson")');
      await plain.fill('input[name="title"]', "Eclipses");
      await plain.setInputFiles('input[name="file"]', {
        name: "eclipses.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from(PDF_BYTES),
      });
      await plain.click('button:has-text("Add the lesson")');
      await plain.waitForURL(/done=lesson-added/);
      assert.match(await plain.locator('[data-testid="lessons"]').innerText(), /Eclipses/);

      // A student finds the published course in the catalog.
      const student = await (await browser.newContext()).newPage();
      const studentProblems = watch(student);
      await signInAs(student, base, email("student1"), "/portal/courses");
      await student.fill('input[name="q"]', "astronomy");
      await student.click('button:has-text("Show courses")');
      await student.waitForURL(/q=astronomy/);
      assert.deepEqual(await student.locator("main h2").allInnerTexts(), ["Astronomy for Form 2"]);
      await student.click("text=Astronomy for Form 2");
      assert.match(await student.locator("main").innerText(), /The Moon/);
      assert.deepEqual(studentProblems, []);
    } finally {
      await browser?.close();
      await server.shutdown();
      await t.close();
    }
  },
});
