/**
 * The video worker (ARCHITECTURE §7, the outbox worker's pattern): wakes on `NOTIFY video_jobs`
 * (and every `pollMs`, for retries and missed notifications), claims one due job at a time with
 * `private.video_job_claim` as service_role, and transcodes it outside any transaction:
 *
 *   fetch the lesson's file to a temp dir → ffprobe (not a readable video → failed for good) →
 *   ffmpeg ladder → check the playlists → upload every file under the attempt's prefix →
 *   `video_job_done` records the ladder on the lesson and the job as done in one transaction.
 *
 * While it works, a heartbeat renews the job's lease every `heartbeatMs`; when the database
 * answers that the job is no longer this attempt's (the lesson got another file), ffmpeg is
 * stopped at once. Each job has a deadline (`jobTimeoutMs`). Any failure is reported with
 * `video_job_failed` (the database decides retry, backoff and dead) and the temp dir is always
 * removed. After the jobs, storage the database queued for cleanup is deleted.
 *
 * One job at a time per process: ffmpeg already uses every core, and it runs under `nice` so
 * pages stay quick. The database decides what is due; `for update skip locked` keeps workers of
 * other processes off the same job. Logs carry ids, attempts, timings and sizes, never URLs.
 */
import { join } from "node:path";
import type { Db } from "../db/types.ts";
import { startWakeLoop } from "../db/wake_loop.ts";
import { HttpError } from "../fresh/mod.ts";
import type { Logger } from "../log.ts";
import type { FileStorage } from "../storage/types.ts";
import { type FfmpegTools, hideAll, UnusableVideoError } from "./ffmpeg.ts";
import { contentTypeOf, transcodeToHls } from "./transcode.ts";

export type VideoStorage = Pick<FileStorage, "fetchToFile" | "putFile" | "delete">;

export interface VideoWorkerOptions {
  db: Db;
  storage: VideoStorage;
  tools: FfmpegTools;
  log: Logger;
  /** Safety-net polling interval (retries become due without a NOTIFY). Default 15 s. */
  pollMs?: number;
  /** A job still running after this is stopped and counted as failed. Default 30 minutes. */
  jobTimeoutMs?: number;
  /** How often the lease (5 minutes in SQL) is renewed. Default 60 s. */
  heartbeatMs?: number;
  /** Where temp dirs go. Default: the system's. */
  tempDir?: string;
}

export interface VideoWorker {
  /** Resolves once the worker listens for NOTIFY (or gave up on it) and has done its first round. */
  ready: Promise<void>;
  /** Works until nothing is due (tests; also what a NOTIFY or a poll tick triggers). */
  drain(): Promise<void>;
  /** Stops listening and polling, stops a running ffmpeg and waits for the round in progress. */
  stop(): Promise<void>;
}

interface JobRow {
  id: string;
  lesson_id: string;
  source_path: string;
  attempts: number;
  output_prefix: string;
}

const TEMP_PREFIX = "elymica-video-";

/** Why a job was stopped before it finished; its message is what the job records. */
class Stopped extends Error {
  override name = "Stopped";
}

export function startVideoWorker(options: VideoWorkerOptions): VideoWorker {
  const { db, storage, tools, log } = options;
  const pollMs = options.pollMs ?? 15_000;
  const jobTimeoutMs = options.jobTimeoutMs ?? 30 * 60_000;
  const heartbeatMs = options.heartbeatMs ?? 60_000;

  const shutdown = new AbortController();

  async function work(job: JobRow): Promise<void> {
    const fields = { jobId: job.id, lessonId: job.lesson_id, attempt: job.attempts };
    const started = performance.now();
    const abort = new AbortController();
    const stop = (reason: string) => {
      if (!abort.signal.aborted) abort.abort(new Stopped(reason));
    };
    const onShutdown = () => stop("The server stopped during the transcode");
    shutdown.signal.addEventListener("abort", onShutdown);
    const deadline = setTimeout(
      () => stop(`The transcode took longer than ${describeDuration(jobTimeoutMs)}`),
      jobTimeoutMs,
    );
    const heartbeat = setInterval(async () => {
      try {
        const [{ current }] = await db.asService((q) =>
          q<{ current: boolean }>("select private.video_job_heartbeat($1, $2) as current", [
            job.id,
            job.attempts,
          ])
        );
        if (!current) stop("The job was superseded or taken over");
      } catch (error) {
        // The lease runs on; if the database stays away another worker takes over.
        log.warn("video job heartbeat failed", { ...fields, error: String(error) });
      }
    }, heartbeatMs);

    const tmp = await Deno.makeTempDir({ dir: options.tempDir, prefix: TEMP_PREFIX });
    const input = join(tmp, "source");
    const outDir = join(tmp, "hls");
    try {
      await Deno.mkdir(outDir);
      try {
        await storage.fetchToFile(job.source_path, input);
      } catch (error) {
        if (
          error instanceof Deno.errors.NotFound ||
          (error instanceof HttpError && error.status === 404)
        ) {
          throw new UnusableVideoError("The lesson's video file is missing from storage");
        }
        throw error;
      }
      const sourceBytes = (await Deno.stat(input)).size;
      const output = await transcodeToHls(tools, input, outDir, abort.signal);
      const transcodeMs = Math.round(performance.now() - started);
      let outputBytes = 0;
      for (const file of output.files) {
        abort.signal.throwIfAborted();
        const stored = await storage.putFile(
          job.output_prefix + file,
          join(outDir, file),
          contentTypeOf(file),
        );
        outputBytes += stored.byteSize;
      }
      const [{ outcome }] = await db.asService((q) =>
        q<{ outcome: string | null }>(
          "select private.video_job_done($1, $2, $3::jsonb) as outcome",
          [job.id, job.attempts, output.variants],
        )
      );
      const done = {
        ...fields,
        outcome,
        variants: output.variants.map((v) => v.name).join(","),
        sourceBytes,
        outputBytes,
        transcodeMs,
        ms: Math.round(performance.now() - started),
      };
      if (outcome === "recorded") log.info("video transcoded", done);
      else log.warn("video transcoded, but the lesson has another file now", done);
    } catch (error) {
      const reason = abort.signal.reason instanceof Stopped
        ? abort.signal.reason.message
        : hideAll(error instanceof Error ? error.message : String(error), [tmp]);
      const permanent = error instanceof UnusableVideoError;
      await report(job, reason, permanent, fields, started);
    } finally {
      clearTimeout(deadline);
      clearInterval(heartbeat);
      shutdown.signal.removeEventListener("abort", onShutdown);
      await Deno.remove(tmp, { recursive: true }).catch((error) =>
        log.error("could not remove a video temp dir", { ...fields, error: String(error) })
      );
    }
  }

  async function report(
    job: JobRow,
    reason: string,
    permanent: boolean,
    fields: Record<string, unknown>,
    started: number,
  ): Promise<void> {
    const ms = Math.round(performance.now() - started);
    try {
      const [{ status }] = await db.asService((q) =>
        q<{ status: string | null }>("select private.video_job_failed($1, $2, $3, $4) as status", [
          job.id,
          job.attempts,
          reason,
          permanent,
        ])
      );
      const what = status === "queued"
        ? "video transcode failed; will retry"
        : status === null
        ? "video transcode stopped; the job is no longer this attempt's"
        : "video transcode failed for good";
      log.warn(what, { ...fields, ms, status, permanent, reason });
    } catch (reportError) {
      // The lease runs out and the job is claimed again: late, never lost.
      log.error("could not record a failed video transcode", {
        ...fields,
        reason,
        error: String(reportError),
      });
    }
  }

  /** Deletes the storage the database queued for cleanup (idempotent: a retry is harmless). */
  async function cleanUp(): Promise<void> {
    while (!loop.stopped()) {
      const pending = await db.asService((q) =>
        q<{ prefix: string }>("select prefix from private.video_cleanup_pending(20) as prefix")
      );
      if (pending.length === 0) return;
      const deleted: string[] = [];
      for (const { prefix } of pending) {
        try {
          await storage.delete(prefix);
          deleted.push(prefix);
        } catch (error) {
          log.warn("could not delete old video renditions", { prefix, error: String(error) });
        }
      }
      await db.asService((q) => q("select private.video_cleanup_done($1)", [deleted]));
      if (deleted.length < pending.length) return; // try the rest at the next round
      log.info("old video renditions deleted", { prefixes: deleted.length });
    }
  }

  async function processDue(): Promise<void> {
    while (!loop.stopped()) {
      const jobs = await db.asService((q) =>
        q<JobRow>(
          "select id, lesson_id, source_path, attempts, output_prefix from private.video_job_claim(1)",
        )
      );
      if (jobs.length === 0) break;
      await work(jobs[0]);
    }
    await cleanUp();
  }

  const loop = startWakeLoop({
    db,
    channel: "video_jobs",
    pollMs,
    log,
    name: "video worker",
    processDue,
    prepare: () => removeStaleTempDirs(options.tempDir, 2 * jobTimeoutMs),
  });
  return {
    ready: loop.ready,
    drain: loop.wake,
    async stop() {
      const stopping = loop.stop(); // marks the loop stopped before ffmpeg is told to stop
      shutdown.abort();
      await stopping;
    },
  };
}

/** "30 minutes", "90 s", "0.2 s". */
export function describeDuration(ms: number): string {
  if (ms >= 120_000) return `${Math.round(ms / 60_000)} minutes`;
  return `${Math.round(ms / 100) / 10} s`;
}

/** Temp dirs a crashed process left behind (older than any job may run). */
async function removeStaleTempDirs(tempDir: string | undefined, olderThanMs: number) {
  const root = tempDir ?? (Deno.env.get("TMPDIR") || "/tmp");
  try {
    for await (const entry of Deno.readDir(root)) {
      if (!entry.isDirectory || !entry.name.startsWith(TEMP_PREFIX)) continue;
      const path = join(root, entry.name);
      const { mtime } = await Deno.stat(path);
      if (mtime && Date.now() - mtime.getTime() > olderThanMs) {
        await Deno.remove(path, { recursive: true }).catch(() => {});
      }
    }
  } catch {
    // No readable temp root: nothing to tidy.
  }
}
