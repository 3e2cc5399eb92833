/**
 * The demo schools' video lessons get their HLS ladder too: the seed's lessons queue jobs as any
 * lesson does, the demo media step puts their files, and the worker (started by main.ts after
 * both) transcodes them in the background.
 */
import assert from "node:assert/strict";
import { seedDemoMedia } from "../../lib/demo_media/mod.ts";
import { startVideoWorker } from "../../lib/video/worker.ts";
import { openTestDatabase } from "../support/database.ts";
import { requireTools, skipWithoutFfmpeg } from "../support/ffmpeg.ts";
import { capturedLog, openFiles } from "./helpers.ts";

Deno.test({
  name: "after seeding, every demo video lesson gets a 240p ladder of the demo MP4",
  ignore: skipWithoutFfmpeg,
  async fn() {
    const t = await openTestDatabase({ seed: true });
    await using files = await openFiles();
    try {
      await seedDemoMedia(t.owner, files.storage);
      const { log } = capturedLog();
      const worker = startVideoWorker({
        db: t.db,
        storage: files.storage,
        tools: requireTools(),
        log,
        pollMs: 600_000,
      });
      try {
        await worker.drain();
      } finally {
        await worker.stop();
      }
      const lessons = await t.owner.query<{ storage_path: string; job: string; variants: string }>(
        `select l.storage_path, j.status as job,
                (select string_agg(v ->> 'name', ',') from jsonb_array_elements(r.variants) v) as variants
           from public.lessons l
           join private.video_jobs j on j.lesson_id = l.id
           left join public.lesson_renditions r on r.lesson_id = l.id and r.source_path = l.storage_path
          where l.kind = 'video'
          order by l.storage_path`,
      );
      assert.ok(lessons.length >= 3, `the demo has video lessons (${lessons.length})`);
      for (const lesson of lessons) {
        assert.ok(lesson.storage_path.startsWith("demo/"), lesson.storage_path);
        assert.deepEqual([lesson.job, lesson.variants], ["done", "240p"], lesson.storage_path);
      }
    } finally {
      await t.close();
    }
  },
});
