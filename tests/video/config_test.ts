/** VIDEO_TRANSCODE, FFMPEG_PATH and VIDEO_JOB_MINUTES, and what start-up does with them. */
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../lib/config.ts";
import { FfmpegMissingError, startVideoTranscoding } from "../../lib/video/mod.ts";
import { openTestDatabase } from "../support/database.ts";
import { skipWithoutFfmpeg } from "../support/ffmpeg.ts";
import { capturedLog } from "./helpers.ts";

Deno.test("video defaults: transcode when ffmpeg is on PATH, an hour per job", () => {
  assert.deepEqual(loadConfig({}).video, {
    transcode: "auto",
    ffmpegPath: "ffmpeg",
    jobTimeoutMs: 3_600_000,
  });
  assert.deepEqual(
    loadConfig({
      VIDEO_TRANSCODE: "off",
      FFMPEG_PATH: "/opt/ff/bin/ffmpeg",
      VIDEO_JOB_MINUTES: "5",
    })
      .video,
    { transcode: "off", ffmpegPath: "/opt/ff/bin/ffmpeg", jobTimeoutMs: 300_000 },
  );
  for (
    const [name, value] of [
      ["VIDEO_TRANSCODE", "maybe"],
      ["VIDEO_JOB_MINUTES", "0"],
      ["VIDEO_JOB_MINUTES", "an hour"],
    ]
  ) {
    assert.throws(
      () => loadConfig({ [name]: value }),
      (error: Error) => error instanceof ConfigError && error.message.includes(name),
      `${name}=${value}`,
    );
  }
});

const noStorage = {
  fetchToFile: () => Promise.reject(new Error("unused")),
  putFile: () => Promise.reject(new Error("unused")),
  delete: () => Promise.reject(new Error("unused")),
};

Deno.test("without ffmpeg the app says so once and serves MP4; VIDEO_TRANSCODE=on refuses to start", async () => {
  const t = await openTestDatabase();
  try {
    const missing = {
      transcode: "auto" as const,
      ffmpegPath: "/nowhere/ffmpeg",
      jobTimeoutMs: 1000,
    };
    const { log, lines } = capturedLog();
    assert.equal(await startVideoTranscoding(missing, { db: t.db, storage: noStorage, log }), null);
    assert.deepEqual(lines.map((line) => JSON.parse(line).msg), [
      "VIDEO TRANSCODING OFF: no ffmpeg/ffprobe at /nowhere/ffmpeg (install: apt-get install -y " +
      "ffmpeg); lessons play their MP4 only",
    ]);
    await assert.rejects(
      startVideoTranscoding({ ...missing, transcode: "on" }, { db: t.db, storage: noStorage, log }),
      (error: Error) =>
        error instanceof FfmpegMissingError && /VIDEO_TRANSCODE=on/.test(error.message),
    );
    const off = capturedLog();
    assert.equal(
      await startVideoTranscoding({ ...missing, transcode: "off" }, {
        db: t.db,
        storage: noStorage,
        log: off.log,
      }),
      null,
    );
    assert.match(off.lines[0], /video transcoding is off/);
  } finally {
    await t.close();
  }
});

Deno.test({
  name: "with ffmpeg the worker starts and says which ffmpeg",
  ignore: skipWithoutFfmpeg,
  async fn() {
    const t = await openTestDatabase();
    try {
      const { log, lines } = capturedLog();
      const worker = await startVideoTranscoding(
        { transcode: "on", ffmpegPath: "ffmpeg", jobTimeoutMs: 1000 },
        { db: t.db, storage: noStorage, log },
      );
      assert.ok(worker);
      await worker.ready;
      await worker.stop();
      assert.match(lines[0], /"msg":"video transcoding on","ffmpeg":"\d[^"]*"/);
    } finally {
      await t.close();
    }
  },
});
