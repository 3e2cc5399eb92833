/**
 * LMS-2 in a real browser: a student signs in, opens a video lesson (the <video> loads its
 * metadata from the signed URL with range requests), marks it complete, opens a PDF lesson (in
 * the page's frame, and as a download), marks that complete, and sees progress rise on My
 * courses.
 */
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { launch, signInAs, skipWithoutBrowser, watch } from "../support/browser.ts";
import { openTestDatabase } from "../support/database.ts";
import { openTestStorage, testApp } from "../support/app.ts";
import { SAMPLE_VIDEO_SECONDS } from "../../lib/demo_media/mod.ts";
import { algebra } from "../content/helpers.ts";

Deno.test({
  name:
    "browser: a student watches a video lesson, opens a PDF, marks both complete, sees progress",
  ignore: skipWithoutBrowser,
  async fn() {
    const t = await openTestDatabase({ seed: true });
    await using files = await openTestStorage();
    const course = await algebra(t, files);
    const app = await testApp(t.db, { storage: files.storage });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    let browser: Browser | undefined;
    try {
      browser = await launch();
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      const problems = watch(page);
      const fileResponses: { status: number; range: string | null }[] = [];
      page.on("response", (r) => {
        if (new URL(r.url()).pathname.startsWith("/files/")) {
          fileResponses.push({ status: r.status(), range: r.request().headers()["range"] ?? null });
        }
      });

      await signInAs(page, base, "student5@nairobi.demo.elymica.test", "/portal/my-courses");
      const algebraCard = page.locator("li", { hasText: "Mathematics: Algebra I" }).first();
      assert.match(await algebraCard.innerText(), /0 of 9 lessons · 0%/);

      // The course page: the first module is open, its video lesson is a link.
      await algebraCard.locator("a").first().click();
      await page.waitForURL(`${base}/portal/courses/${course.id}`);
      await page.click("text=Numbers and indices: video lesson");
      await page.waitForURL(`${base}/portal/courses/${course.id}/lessons/${course.video}`);

      // The video element has a playable source: metadata loaded through the signed URL.
      const media = await page.waitForFunction(
        () => {
          const video = document.querySelector("video");
          if (!video) return null;
          if (video.error) return { error: video.error.code };
          return video.readyState >= 1 && video.duration > 0
            ? { readyState: video.readyState, duration: video.duration, src: video.currentSrc }
            : null;
        },
        undefined,
        { timeout: 20_000 },
      );
      const state = await media.jsonValue() as { error?: number; duration: number; src: string };
      assert.equal(state.error, undefined, `the video failed to load: MediaError ${state.error}`);
      assert.ok(
        Math.abs(state.duration - SAMPLE_VIDEO_SECONDS) < 0.5,
        `duration ${state.duration}`,
      );
      assert.match(state.src, /\/files\/\d+\.0\.[\w-]+\/demo\/nairobi\/math-g10-alg1\/m1-l2\.mp4$/);
      // … and a seek asks for a range the server answers with 206
      await page.evaluate(() => {
        const video = document.querySelector("video")!;
        video.currentTime = 8;
      });
      await page.waitForFunction(
        () => document.querySelector("video")!.readyState >= 2,
        undefined,
        {
          timeout: 20_000,
        },
      );
      assert.ok(
        fileResponses.some((r) => r.status === 206 && r.range !== null),
        `range requests answered 206: ${JSON.stringify(fileResponses)}`,
      );

      await page.click('button:has-text("Mark complete")');
      await page.locator("text=Lesson marked complete.").waitFor();
      assert.match(
        await page.locator('[data-testid="course-progress"]').innerText(),
        /1 of 9 lessons · 11%/,
      );

      // The PDF lesson, from the course page's third module.
      await page.click(`a[href="/portal/courses/${course.id}"]`);
      await page.click("summary:has-text('Linear equations and inequalities')");
      const pdfResponse = page.waitForResponse((r) =>
        /\/m3-l3\.pdf$/.test(new URL(r.url()).pathname)
      );
      await page.click("text=Linear equations and inequalities: worksheet (PDF)");
      await page.waitForURL(`${base}/portal/courses/${course.id}/lessons/${course.pdf}`);
      const shown = await pdfResponse;
      assert.equal(shown.status(), 200);
      assert.equal(shown.headers()["content-type"], "application/pdf");
      assert.equal(await page.locator('iframe[data-testid="lesson-pdf"]').count(), 1);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click("text=Download the PDF"),
      ]);
      assert.equal(
        download.suggestedFilename(),
        "Linear equations and inequalities - worksheet (PDF).pdf",
      );
      const saved = await Deno.readFile((await download.path())!);
      assert.equal(new TextDecoder().decode(saved.subarray(0, 5)), "%PDF-");

      await page.click('button:has-text("Mark complete")');
      await page.locator("text=Lesson marked complete.").waitFor();

      await page.goto(`${base}/portal/my-courses`);
      assert.match(
        await page.locator("li", { hasText: "Mathematics: Algebra I" }).first().innerText(),
        /2 of 9 lessons · 22%/,
      );
      // Leaving a page aborts the media player's open range request and the PDF viewer's
      // loading (Chromium-internal chrome:// URLs), and a download is an aborted navigation: none is an error (a refused file
      // would show as its 4xx status, which stays counted).
      const aborted = /^failed: (http:\/\/127\.0\.0\.1:\d+\/files\/|chrome(-extension)?:\/\/)/;
      assert.deepEqual(problems.filter((p) => !aborted.test(p)), []);
    } finally {
      await browser?.close();
      await server.shutdown();
      await t.close();
    }
  },
});
