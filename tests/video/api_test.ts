/**
 * `hlsUrl` in GET /api/content/lessons/:moduleId: null until the lesson's video is transcoded,
 * then a signed master playlist whose variant playlists and segments, named relatively, load
 * through the app's /files route; a PDF lesson has none; a ladder made from an older file of the
 * lesson is never offered.
 */
import assert from "node:assert/strict";
import { startVideoWorker } from "../../lib/video/worker.ts";
import { algebra } from "../content/helpers.ts";
import { api, demo, login } from "../enrollment/helpers.ts";
import { call, withSeededApp } from "../support/app.ts";
import { requireTools, skipWithoutFfmpeg } from "../support/ffmpeg.ts";
import { capturedLog } from "./helpers.ts";

type Lesson = { id: string; kind: string; hlsUrl?: string | null };

Deno.test({
  name: "lessons API: hlsUrl is null until transcoded, then a signed master that plays",
  ignore: skipWithoutFfmpeg,
  async fn() {
    await withSeededApp(async (app, t, files) => {
      const course = await algebra(t, files);
      const student = await login(app, demo("student3"));
      const lessonsOf = async (moduleIndex: number) => {
        const res = await api(app, student, `/api/content/lessons/${course.modules[moduleIndex]}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.lessons as Lesson[];
      };
      const videoOf = async () => (await lessonsOf(0)).find((l) => l.id === course.video)!;

      assert.equal((await videoOf()).hlsUrl, null, "not transcoded yet");
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

      const { hlsUrl } = await videoOf();
      assert.match(hlsUrl ?? "", /^\/files\/[^/]+\/hls\/[0-9a-f-]+\/\d+-1\/master\.m3u8$/);
      const master = await call(app, hlsUrl!);
      assert.equal(master.status, 200);
      assert.equal(master.headers.get("content-type"), "application/vnd.apple.mpegurl");
      const masterText = await master.text();
      assert.match(masterText, /RESOLUTION=426x240/);
      const variantUrl = new URL("240p/index.m3u8", new URL(hlsUrl!, "http://localhost"));
      const variant = await call(app, variantUrl.pathname);
      assert.equal(variant.status, 200);
      const segment = (await variant.text()).split("\n").find((line) => line.endsWith(".m4s"))!;
      const segmentRes = await call(app, new URL(segment, variantUrl).pathname);
      assert.equal(segmentRes.status, 200);
      assert.ok((await segmentRes.arrayBuffer()).byteLength > 1000);
      const tampered = await call(app, variantUrl.pathname.replace("/hls/", "/demo/"));
      assert.equal(tampered.status, 403, "the folder signature covers the ladder only");

      // A segment is fetched all along the playback: the ladder's URL outlives a 15-minute file
      // URL by twice the lesson's length.
      const expiresIn = (url: string) =>
        Number(url.match(/^\/files\/(\d+)\./)![1]) - Math.floor(Date.now() / 1000);
      assert.ok(Math.abs(expiresIn(hlsUrl!) - (900 + 2 * 12)) <= 5, `${expiresIn(hlsUrl!)} s`);
      await t.owner.query("update public.lessons set duration_seconds = 3600 where id = $1", [
        course.video,
      ]);
      const hour = (await videoOf()).hlsUrl!;
      assert.ok(Math.abs(expiresIn(hour) - (900 + 7200)) <= 5, `${expiresIn(hour)} s`);
      files.advance(900_000 + 24_000 + 10_000); // past what the 12-second lesson's URL allowed
      assert.equal((await call(app, hlsUrl!)).status, 403, "the first URL has expired");
      assert.equal((await call(app, hour)).status, 200, "the hour-long lesson's has not");

      const pdf = (await lessonsOf(2)).find((l) => l.kind === "pdf") ??
        (await lessonsOf(1)).find((l) => l.kind === "pdf");
      assert.ok(pdf, "the course has a PDF lesson");
      assert.equal("hlsUrl" in pdf, false, "a PDF lesson has no hlsUrl");

      // A new file for the lesson: its old ladder is not offered while the new one is made.
      await t.owner.query(
        "update public.lessons set storage_path = 'demo/nairobi/math-g10-alg1/m1-l2-v2.mp4' where id = $1",
        [course.video],
      );
      assert.equal((await videoOf()).hlsUrl, null);
    });
  },
});
