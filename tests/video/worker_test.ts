/**
 * The video worker against a real migrated database (embedded, or the server in DATABASE_URL),
 * real local-disk storage and Debian's ffmpeg on a clip ffmpeg makes: a lesson's MP4 becomes an
 * HLS ladder in storage, recorded on the lesson; bad input fails for good with a message and
 * leaves nothing; failures back off and die; a crashed worker's job is taken over; a job whose
 * lesson got another file never overwrites the newer state; temp dirs always go.
 */
import assert from "node:assert/strict";
import { hlsUrlFor } from "../../lib/video/renditions.ts";
import { startVideoWorker, type VideoStorage, type VideoWorker } from "../../lib/video/worker.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { requireTools, skipWithoutFfmpeg, testClip } from "../support/ffmpeg.ts";
import {
  addVideoLesson,
  capturedLog,
  createSchool,
  jobsOf,
  makeDue,
  openFiles,
  renditionOf,
  type TestFiles,
  workerTempDir,
} from "./helpers.ts";

interface Setup {
  t: TestDatabase;
  files: TestFiles;
  worker: VideoWorker;
  tenantId: string;
  lines: string[];
  waitFor: ReturnType<typeof capturedLog>["waitFor"];
  tmp: { path: string; entries(): Promise<string[]> };
}

/** A database, storage, a school and a worker over them, all closed afterwards. */
async function withWorker(
  run: (s: Setup) => Promise<void>,
  options: {
    storage?: (files: TestFiles) => VideoStorage;
    jobTimeoutMs?: number;
    heartbeatMs?: number;
  } = {},
) {
  const tools = requireTools();
  const t = await openTestDatabase();
  await using files = await openFiles();
  await using tmp = await workerTempDir();
  const { log, lines, waitFor } = capturedLog();
  try {
    const tenantId = await createSchool(t.owner);
    // A long poll: anything sooner was woken by NOTIFY or drain().
    const worker = startVideoWorker({
      db: t.db,
      storage: options.storage?.(files) ?? files.storage,
      tools,
      log,
      pollMs: 600_000,
      jobTimeoutMs: options.jobTimeoutMs,
      heartbeatMs: options.heartbeatMs,
      tempDir: tmp.path,
    });
    try {
      await run({ t, files, worker, tenantId, lines, waitFor, tmp });
    } finally {
      await worker.stop();
    }
    assert.deepEqual(await tmp.entries(), [], "the worker leaves no temp dir behind");
  } finally {
    await t.close();
  }
}

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: skipWithoutFfmpeg, fn });

test("NOTIFY wakes the worker: a lesson's MP4 becomes a 240p/360p HLS ladder, recorded on the lesson", async () => {
  const clip = await testClip({ width: 640, height: 360, seconds: 3 });
  await withWorker(async ({ t, files, worker, tenantId, waitFor, lines }) => {
    await files.storage.putFile("lessons/cells.mp4", clip, "video/mp4");
    await worker.ready; // listening, start-up round over: only NOTIFY can wake it now
    const transcoded = waitFor("video transcoded");
    const lessonId = await addVideoLesson(t.owner, tenantId, "lessons/cells.mp4");
    const logged = await deadline(transcoded, 120_000, "no NOTIFY reached the worker");

    const [job] = await jobsOf(t.owner, lessonId);
    assert.equal(job.status, "done");
    assert.equal(job.attempts, 1);
    const prefix = `hls/${lessonId}/${job.id}-1/`;
    assert.equal(job.output_prefix, prefix);

    const rendition = await renditionOf(t.owner, lessonId);
    assert.ok(rendition, "the lesson has renditions");
    assert.equal(rendition.source_path, "lessons/cells.mp4");
    assert.equal(rendition.hls_prefix, prefix);
    assert.equal(rendition.job_id, job.id);
    // A 360p source: no 720p (never upscaled).
    assert.deepEqual(
      rendition.variants.map((v) => [v.name, v.width, v.height]),
      [["240p", 426, 240], ["360p", 640, 360]],
    );
    // The clip is lean (about 50 kbit/s of video): every rung is capped near it, not at 240k.
    const [low, high] = rendition.variants.map((v) => v.bandwidth);
    assert.ok(low < 200_000, `a lean source is not inflated to the 240p cap: ${low}`);
    assert.ok(high >= low, "360p is no cheaper than 240p");

    const master = await files.read(`${prefix}master.m3u8`);
    assert.match(master, /^#EXTM3U/);
    assert.deepEqual(
      [...master.matchAll(/#EXT-X-STREAM-INF:([^\n]*)\n([^\n]+)/g)].map((m) => [
        m[1].match(/BANDWIDTH=(\d+)/)![1],
        m[1].match(/RESOLUTION=(\d+x\d+)/)![1],
        m[1].match(/CODECS="([^"]+)"/)![1],
        m[2],
      ]),
      [
        [String(low), "426x240", "avc1.42c01e,mp4a.40.2", "240p/index.m3u8"],
        [String(high), "640x360", "avc1.4d401e,mp4a.40.2", "360p/index.m3u8"],
      ],
      "the master lists the ladder, lowest first: H.264 baseline 240p, main 360p, AAC-LC",
    );

    const stored = await files.list(prefix);
    for (const name of ["240p", "360p"]) {
      const playlist = await files.read(`${prefix}${name}/index.m3u8`);
      assert.match(playlist, /#EXT-X-PLAYLIST-TYPE:VOD/);
      assert.match(playlist, /#EXT-X-ENDLIST/);
      const targetDuration = Number(playlist.match(/#EXT-X-TARGETDURATION:(\d+)/)?.[1]);
      assert.ok(
        targetDuration >= 1 && targetDuration <= 6,
        `segments of 4-6 s, not ${targetDuration}`,
      );
      const segments = playlist.split("\n").filter((line) => line.endsWith(".m4s"));
      assert.match(playlist, /#EXT-X-MAP:URI="init_[01]\.mp4"/);
      assert.ok(segments.length >= 1, `${name} lists its segments`);
      for (const segment of segments) {
        assert.ok(stored.includes(`${name}/${segment}`), `${name}/${segment} is in storage`);
      }
    }
    assert.equal(
      stored.length,
      1 + 2 + 2 + (await segmentCount(files, prefix)),
      "master, playlists, inits, segments",
    );
    // The signed master URL: the variant and segment URLs relative to it verify too.
    const masterUrl = new URL(
      (await hlsUrlFor(files.storage, rendition.hls_prefix, 3))!,
      "http://localhost",
    );
    const variantUrl = new URL("240p/index.m3u8", masterUrl);
    const initUrl = new URL("init_0.mp4", variantUrl);
    const segmentUrl = new URL("seg_000.m4s", variantUrl);
    for (
      const [url, type] of [
        [masterUrl, "application/vnd.apple.mpegurl"],
        [
          variantUrl,
          "application/vnd.apple.mpegurl",
        ],
        [initUrl, "video/mp4"],
        [segmentUrl, "video/iso.segment"],
      ] as const
    ) {
      const res = await files.storage.serve(
        new Request(url),
        url.pathname.replace(/^\/files\//, ""),
        url.searchParams,
      );
      assert.equal(res.status, 200, url.pathname);
      assert.equal(res.headers.get("content-type"), type);
      await res.body?.cancel();
    }
    assert.equal(logged.outcome, "recorded");
    assert.equal(logged.variants, "240p,360p");
    assert.ok(!lines.join("\n").includes("/tmp/"), "no local path in the log");
  });
});

test("a 720p source gets all three rungs, a 180p one a single rung at its own size", async () => {
  const hd = await testClip({ width: 1280, height: 720, seconds: 2 });
  const tiny = await testClip({ width: 320, height: 180, seconds: 2, audio: false });
  await withWorker(async ({ t, files, worker, tenantId }) => {
    await files.storage.putFile("lessons/hd.mp4", hd, "video/mp4");
    await files.storage.putFile("lessons/tiny.mp4", tiny, "video/mp4");
    const hdLesson = await addVideoLesson(t.owner, tenantId, "lessons/hd.mp4");
    const tinyLesson = await addVideoLesson(t.owner, tenantId, "lessons/tiny.mp4");
    await worker.drain();
    assert.deepEqual(
      (await renditionOf(t.owner, hdLesson))?.variants.map((v) =>
        `${v.name} ${v.width}x${v.height}`
      ),
      ["240p 426x240", "360p 640x360", "720p 1280x720"],
    );
    const small = await renditionOf(t.owner, tinyLesson);
    assert.deepEqual(small?.variants.map((v) => `${v.name} ${v.width}x${v.height}`), [
      "180p 320x180",
    ]);
    const master = await files.read(`${small!.hls_prefix}master.m3u8`);
    assert.match(master, /CODECS="avc1\.42c01e"\n/, "a silent source makes a video-only ladder");
  });
});

test("a file that is not a video fails for good with a message, and nothing is stored", async () => {
  await withWorker(async ({ t, files, worker, tenantId, lines }) => {
    const junk = await Deno.makeTempFile();
    await Deno.writeTextFile(junk, "this is a text file named .mp4\n".repeat(100));
    await files.storage.putFile("lessons/junk.mp4", junk, "video/mp4");
    await Deno.remove(junk);
    const junkLesson = await addVideoLesson(t.owner, tenantId, "lessons/junk.mp4");
    const missingLesson = await addVideoLesson(t.owner, tenantId, "lessons/never-uploaded.mp4");
    await worker.drain();
    await makeDue(t.owner);
    await worker.drain();

    const [junkJob] = await jobsOf(t.owner, junkLesson);
    assert.equal(junkJob.status, "failed");
    assert.equal(junkJob.attempts, 1, "not retried");
    assert.equal(
      junkJob.last_error,
      "The file is not a video ffmpeg can read (ffprobe exited with 1: …: Invalid data found when processing input)",
    );
    const [missingJob] = await jobsOf(t.owner, missingLesson);
    assert.equal(missingJob.status, "failed");
    assert.equal(missingJob.last_error, "The lesson's video file is missing from storage");

    assert.equal(await renditionOf(t.owner, junkLesson), undefined);
    assert.deepEqual(await files.list("hls/"), [], "no output in storage");
    const failures = lines.map((line) => JSON.parse(line)).filter((l) => l.level === "warn");
    assert.deepEqual(failures.map((l) => `${l.msg}/${l.status}/${l.permanent}`), [
      "video transcode failed for good/failed/true",
      "video transcode failed for good/failed/true",
    ]);
  });
});

test("a failing attempt: retried after 60, 120, 240, 480 s, dead after the 5th; half-uploaded files are removed", async () => {
  const clip = await testClip();
  let uploads = 0;
  let fetches = 0;
  await withWorker(async ({ t, files, worker, tenantId }) => {
    await files.storage.putFile("lessons/cells.mp4", clip, "video/mp4");
    const lessonId = await addVideoLesson(t.owner, tenantId, "lessons/cells.mp4");
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      await worker.drain();
      const [job] = await jobsOf(t.owner, lessonId);
      assert.equal(job.attempts, attempt);
      if (attempt === 1) {
        assert.equal(job.last_error, "Storage answered 503 after 2 files");
        assert.deepEqual(
          await files.list(`hls/${lessonId}/`),
          [],
          "the two files the failed attempt uploaded are deleted",
        );
      } else {
        assert.equal(job.last_error, "connection reset by peer");
      }
      if (attempt < 5) {
        assert.equal(job.status, "queued");
        waits.push(Math.round(job.wait));
        await worker.drain();
        assert.equal(fetches, attempt, "not retried before its time");
        await makeDue(t.owner);
      } else {
        assert.equal(job.status, "dead");
      }
    }
    assert.deepEqual(waits, [60, 120, 240, 480]);
    await makeDue(t.owner);
    await worker.drain();
    assert.equal(fetches, 5, "a dead job is never tried again");
    assert.equal(await renditionOf(t.owner, lessonId), undefined);
  }, {
    storage: (files) => ({
      fetchToFile(path, local) {
        fetches++;
        if (fetches > 1) return Promise.reject(new Error("connection reset by peer"));
        return files.storage.fetchToFile(path, local);
      },
      async putFile(path, local, type) {
        if (++uploads > 2) throw new Error("Storage answered 503 after 2 files");
        return await files.storage.putFile(path, local, type);
      },
      delete: (prefix) => files.storage.delete(prefix),
    }),
  });
});

test("a job abandoned by a crashed worker is transcoded once its lease ends", async () => {
  const clip = await testClip();
  await withWorker(async ({ t, files, worker, tenantId, tmp }) => {
    await files.storage.putFile("lessons/cells.mp4", clip, "video/mp4");
    await worker.stop(); // the crashed worker, below, must win the claim
    const lessonId = await addVideoLesson(t.owner, tenantId, "lessons/cells.mp4");
    const [crashed] = await t.db.asService((q) =>
      q<{ output_prefix: string }>("select output_prefix from private.video_job_claim(1)")
    );
    // It got as far as uploading one file before it died.
    await files.storage.putFile(
      `${crashed.output_prefix}master.m3u8`,
      clip,
      "application/vnd.apple.mpegurl",
    );

    const { log } = capturedLog();
    const next = startVideoWorker({
      db: t.db,
      storage: files.storage,
      tools: requireTools(),
      log,
      pollMs: 600_000,
      tempDir: tmp.path,
    });
    try {
      await next.drain();
      assert.equal(
        (await jobsOf(t.owner, lessonId))[0].status,
        "running",
        "not while its lease runs",
      );
      await t.owner.query(
        "update private.video_jobs set lease_until = now() where lesson_id = $1",
        [lessonId],
      );
      await next.drain();
    } finally {
      await next.stop();
    }
    const [job] = await jobsOf(t.owner, lessonId);
    assert.equal(job.status, "done");
    assert.equal(job.attempts, 2);
    assert.equal(
      (await renditionOf(t.owner, lessonId))?.hls_prefix,
      `hls/${lessonId}/${job.id}-2/`,
    );
    assert.deepEqual(
      (await files.list(`hls/${lessonId}/`)).filter((f) => !f.startsWith(`${job.id}-2/`)),
      [],
      "the crashed attempt's upload is deleted",
    );
  });
});

test("a lesson given another file mid-transcode: the old result never lands, the new one does", async () => {
  const first = await testClip({ width: 640, height: 360 });
  const second = await testClip({ width: 1280, height: 720, seconds: 2 });
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let blocked = false;
  let reachedUpload!: () => void;
  const uploading = new Promise<void>((resolve) => reachedUpload = resolve);
  await withWorker(async ({ t, files, worker, tenantId }) => {
    await files.storage.putFile("lessons/v1.mp4", first, "video/mp4");
    await files.storage.putFile("lessons/v2.mp4", second, "video/mp4");
    const lessonId = await addVideoLesson(t.owner, tenantId, "lessons/v1.mp4");
    const working = worker.drain();
    await uploading; // the v1 job is transcoded and about to upload
    await t.owner.query("update public.lessons set storage_path = 'lessons/v2.mp4' where id = $1", [
      lessonId,
    ]);
    release();
    await working;
    await worker.drain();

    const jobs = await jobsOf(t.owner, lessonId);
    assert.deepEqual(jobs.map((j) => [j.source_path, j.status]), [
      ["lessons/v1.mp4", "superseded"],
      ["lessons/v2.mp4", "done"],
    ]);
    const rendition = await renditionOf(t.owner, lessonId);
    assert.equal(rendition?.source_path, "lessons/v2.mp4");
    assert.equal(rendition?.variants.length, 3, "the 720p file's ladder");
    assert.deepEqual(
      (await files.list(`hls/${lessonId}/`)).filter((f) => f.startsWith(`${jobs[0].id}-`)),
      [],
      "the old file's outputs are deleted",
    );
  }, {
    heartbeatMs: 600_000, // the superseded job learns it only when it reports
    storage: (files) => ({
      fetchToFile: (path, local) => files.storage.fetchToFile(path, local),
      async putFile(path, local, type) {
        if (!blocked) {
          blocked = true;
          reachedUpload();
          await released;
        }
        return await files.storage.putFile(path, local, type);
      },
      delete: (prefix) => files.storage.delete(prefix),
    }),
  });
});

test("a superseded job stops at its next heartbeat; a job over its deadline is stopped and retried", async () => {
  const clip = await testClip({ width: 640, height: 360, seconds: 8 });
  let fetched!: () => void;
  const fetching = new Promise<void>((resolve) => fetched = resolve);
  await withWorker(async ({ t, files, worker, tenantId, lines }) => {
    await files.storage.putFile("lessons/long.mp4", clip, "video/mp4");
    const lessonId = await addVideoLesson(t.owner, tenantId, "lessons/long.mp4");
    const working = worker.drain();
    await fetching;
    await t.owner.query(
      "update public.lessons set kind = 'pdf', content_type = 'application/pdf' where id = $1",
      [
        lessonId,
      ],
    );
    await working;
    const [job] = await jobsOf(t.owner, lessonId);
    assert.equal(job.status, "superseded");
    const stopped = lines.map((line) => JSON.parse(line)).find((l) =>
      l.msg.startsWith("video transcode stopped")
    );
    assert.equal(stopped?.reason, "The job was superseded or taken over");
  }, {
    heartbeatMs: 50,
    storage: (files) => ({
      async fetchToFile(path, local) {
        await files.storage.fetchToFile(path, local);
        fetched();
      },
      putFile: (path, local, type) => files.storage.putFile(path, local, type),
      delete: (prefix) => files.storage.delete(prefix),
    }),
  });

  await withWorker(async ({ t, files, worker, tenantId }) => {
    await files.storage.putFile("lessons/long.mp4", clip, "video/mp4");
    const lessonId = await addVideoLesson(t.owner, tenantId, "lessons/long.mp4");
    await worker.drain();
    const [job] = await jobsOf(t.owner, lessonId);
    assert.equal(job.status, "queued", "retried later");
    assert.equal(job.last_error, "The transcode took longer than 0.2 s");
    assert.deepEqual(await files.list("hls/"), []);
  }, { jobTimeoutMs: 200 });
});

test("deleting a lesson deletes its renditions from storage", async () => {
  const clip = await testClip();
  await withWorker(async ({ t, files, worker, tenantId }) => {
    await files.storage.putFile("lessons/cells.mp4", clip, "video/mp4");
    const lessonId = await addVideoLesson(t.owner, tenantId, "lessons/cells.mp4");
    await worker.drain();
    assert.ok((await files.list(`hls/${lessonId}/`)).length > 3);
    await t.owner.query("delete from public.lessons where id = $1", [lessonId]);
    await worker.drain();
    assert.deepEqual(await files.list(`hls/${lessonId}/`), []);
    const [{ waiting }] = await t.owner.query<{ waiting: number }>(
      "select count(*)::int as waiting from private.video_cleanup",
    );
    assert.equal(waiting, 0);
  });
});

async function segmentCount(files: TestFiles, prefix: string): Promise<number> {
  return (await files.list(prefix)).filter((f) => f.endsWith(".m4s")).length;
}

function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => timer = setTimeout(() => reject(new Error(what)), ms)),
  ]).finally(() => clearTimeout(timer));
}
