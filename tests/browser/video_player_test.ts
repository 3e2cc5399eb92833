/**
 * The lesson video in Chromium, with a ladder the real worker made with real ffmpeg:
 *
 * - a browser without native HLS (Chromium before it gained it, Firefox): the island loads hls.js
 *   (only then, and only on the lesson page), plays the ladder, and hls.js picks a rung; in
 *   low-data mode the first segment comes from the lowest rung;
 * - Chromium as it is (it plays HLS itself): the master goes straight to the <video>, no hls.js;
 * - the master gone (404): hls.js gives up and the MP4 plays instead;
 * - JavaScript off: the plain <video src=mp4> loads.
 *
 * "Without native HLS" is Chromium with `canPlayType` answering "" for HLS types, set before
 * any page script runs: the rest — MSE, hls.js, the network — is real.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startVideoWorker } from "../../lib/video/worker.ts";
import { algebra } from "../content/helpers.ts";
import { openTestStorage, testApp } from "../support/app.ts";
import { launch, signInAs, skipWithoutBrowser, watch } from "../support/browser.ts";
import { openTestDatabase } from "../support/database.ts";
import { requireTools, skipWithoutFfmpeg, testClip } from "../support/ffmpeg.ts";
import { capturedLog } from "../video/helpers.ts";

const STUDENT = "student5@nairobi.demo.elymica.test";
/** hls.js light is ~370 KB minified; every other bundle of ours is a few KB. */
const HLS_JS_MIN_BYTES = 200_000;

function hideNativeHls(context: BrowserContext) {
  return context.addInitScript(() => {
    const original = HTMLMediaElement.prototype.canPlayType;
    HTMLMediaElement.prototype.canPlayType = function (type: string) {
      return /mpegurl/i.test(type) ? "" : original.call(this, type);
    };
  });
}

/** Island scripts by size, and /files/ requests by path, as the page makes them. */
function traffic(page: Page) {
  const scripts: { url: string; bytes: number }[] = [];
  const files: string[] = [];
  page.on("response", async (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith("/_islands/")) {
      scripts.push({
        url: path,
        bytes: (await response.body().catch(() => new Uint8Array())).length,
      });
    }
    if (path.startsWith("/files/")) files.push(path.replace(/^\/files\/[^/]+\//, ""));
  });
  return {
    scripts,
    files,
    hlsJsLoaded: () => scripts.some((s) => s.bytes > HLS_JS_MIN_BYTES),
  };
}

/** Plays muted (autoplay is allowed muted) and waits for the clock to move. */
async function playsFor(page: Page, seconds: number) {
  await page.evaluate(async () => {
    const video = document.querySelector("video")!;
    video.muted = true;
    await video.play();
  });
  await page.waitForFunction(
    (s) => document.querySelector("video")!.currentTime > s,
    seconds,
    { timeout: 30_000 },
  );
}

const player = (page: Page) => page.locator('[data-testid="lesson-video"]');

Deno.test({
  name:
    "browser: the lesson video streams its HLS ladder (hls.js or native), falls back to the MP4",
  ignore: skipWithoutBrowser || skipWithoutFfmpeg,
  async fn() {
    const t = await openTestDatabase({ seed: true });
    await using files = await openTestStorage();
    const course = await algebra(t, files);
    // A 360p file for the demo video lesson, so the ladder has two rungs to choose from.
    const clip = await testClip({ width: 640, height: 360, seconds: 10, fps: 25 });
    await files.storage.putFile("lessons/algebra-360p.mp4", clip, "video/mp4");
    await t.owner.query(
      "update public.lessons set storage_path = 'lessons/algebra-360p.mp4', duration_seconds = 10 where id = $1",
      [course.video],
    );
    const worker = startVideoWorker({
      db: t.db,
      storage: files.storage,
      tools: requireTools(),
      log: capturedLog().log,
      pollMs: 600_000,
    });
    try {
      await worker.drain();
    } finally {
      await worker.stop();
    }
    const [ladder] = await t.owner.query<{ hls_prefix: string; rungs: number }>(
      "select hls_prefix, jsonb_array_length(variants) as rungs from public.lesson_renditions where lesson_id = $1",
      [course.video],
    );
    assert.equal(ladder?.rungs, 2, "the worker made a 240p/360p ladder");

    const app = await testApp(t.db, { storage: files.storage });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const lessonUrl = `${base}/portal/courses/${course.id}/lessons/${course.video}`;
    // The page's <video> starts on the MP4 (it plays without JavaScript); the player then swaps
    // in the ladder, and a metadata fetch of the MP4 still in flight is aborted — by design.
    const abandonedMp4 = (url: string, reason: string) =>
      reason === "net::ERR_ABORTED" && new URL(url).pathname.endsWith(".mp4");
    let browser: Browser | undefined;
    try {
      browser = await launch();

      // --- no native HLS: hls.js, only on the lesson page ---
      {
        const context = await browser.newContext();
        await hideNativeHls(context);
        const page = await context.newPage();
        const problems = watch(page, undefined, abandonedMp4);
        const seen = traffic(page);
        await signInAs(page, base, STUDENT);
        await page.goto(`${base}/portal/courses/${course.id}`);
        assert.ok(!seen.hlsJsLoaded(), "the course page loads no hls.js");

        await page.goto(lessonUrl);
        await page.waitForSelector('[data-testid="lesson-video"][data-player="hls.js"]');
        await playsFor(page, 1);
        assert.ok(seen.hlsJsLoaded(), "hls.js was loaded for the lesson");
        assert.match(
          await player(page).getAttribute("data-hls-level") ?? "",
          /^[01]$/,
          "hls.js chose a rung",
        );
        assert.ok(seen.files.some((f) => f === `${ladder.hls_prefix}master.m3u8`));
        assert.ok(
          seen.files.some((f) => /^hls\/.+\/(240p|360p)\/seg_\d{3}\.m4s$/.test(f)),
          "segments played",
        );
        assert.ok(
          (await page.evaluate(() => document.querySelector("video")!.currentSrc)).startsWith(
            "blob:",
          ),
          "the <video> plays a Media Source",
        );
        assert.deepEqual(problems, [], "no console errors, CSP violations or failed requests");

        // Low-data mode: the first segment comes from the lowest rung.
        await context.addCookies([{ name: "low_data", value: "1", url: base }]);
        seen.files.length = 0;
        await page.goto(lessonUrl);
        await page.waitForSelector('[data-testid="lesson-video"][data-player="hls.js"]');
        assert.equal(await player(page).getAttribute("preload"), "none");
        await playsFor(page, 0.5);
        const segments = seen.files.filter((f) => f.endsWith(".m4s"));
        assert.match(segments[0] ?? "", /\/240p\/seg_000\.m4s$/, "low-data starts at 240p");
        assert.ok(
          !segments.some((f) => f.endsWith("/360p/seg_000.m4s")),
          `the 240p start is what plays, not a bandwidth test before a 360p start: ${segments}`,
        );
        await context.close();
      }

      // --- Chromium as it is: native HLS, no hls.js ---
      {
        const context = await browser.newContext();
        const page = await context.newPage();
        const problems = watch(page, undefined, abandonedMp4);
        const seen = traffic(page);
        await signInAs(page, base, STUDENT);
        await page.goto(lessonUrl);
        await page.waitForSelector('[data-testid="lesson-video"][data-player="native-hls"]');
        await playsFor(page, 1);
        assert.ok(!seen.hlsJsLoaded(), "a browser that plays HLS itself never downloads hls.js");
        assert.match(
          await page.evaluate(() => document.querySelector("video")!.currentSrc),
          /\/master\.m3u8$/,
        );
        assert.deepEqual(problems, []);
        await context.close();
      }

      // --- the master is gone: back to the MP4 ---
      await files.storage.delete(`${ladder.hls_prefix}master.m3u8`);
      {
        const context = await browser.newContext();
        await hideNativeHls(context);
        const page = await context.newPage();
        const problems = watch(
          page,
          (url, status) => status === 404 && url.endsWith("/master.m3u8"),
        );
        await signInAs(page, base, STUDENT);
        await page.goto(lessonUrl);
        await page.waitForSelector('[data-testid="lesson-video"][data-player="fallback"]', {
          timeout: 30_000,
        });
        await playsFor(page, 1);
        assert.match(
          await page.evaluate(() => document.querySelector("video")!.currentSrc),
          /\/lessons\/algebra-360p\.mp4$/,
        );
        // The one 404 is the master's (the browser logs it without its URL).
        assert.deepEqual(problems, [
          "console: Failed to load resource: the server responded with a status of 404 (Not Found)",
        ]);
        await context.close();
      }

      // --- JavaScript off: the plain <video src=mp4> ---
      {
        const context = await browser.newContext({ javaScriptEnabled: false });
        const page = await context.newPage();
        await signInAs(page, base, STUDENT);
        await page.goto(lessonUrl);
        assert.equal(await player(page).getAttribute("data-player"), "mp4");
        assert.match(await player(page).getAttribute("src") ?? "", /\/lessons\/algebra-360p\.mp4$/);
        await context.close();
      }
    } finally {
      await browser?.close();
      await server.shutdown();
      await t.close();
    }
  },
});
