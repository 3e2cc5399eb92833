/** Shared pieces of the video tests: a school with a video lesson, storage, job rows. */
import { join } from "node:path";
import type { OwnerSession } from "../../lib/db/owner.ts";
import type { Logger } from "../../lib/log.ts";
import { createLogger } from "../../lib/log.ts";
import { openTestStorage, type TestStorage } from "../support/app.ts";

export const COURSE = "00000000-0000-4000-a000-00000000c001";
export const MODULE = "00000000-0000-4000-a000-00000000a001";

/** A logger whose JSON lines end up in `lines`; `waitFor` resolves at the first line matching. */
export function capturedLog(): {
  log: Logger;
  lines: string[];
  waitFor(msg: string): Promise<Record<string, unknown>>;
} {
  const lines: string[] = [];
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  const log = createLogger((line) => {
    lines.push(line);
    const parsed = JSON.parse(line);
    for (const waiter of waiters.filter((w) => w.msg === parsed.msg)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(parsed);
    }
  });
  return {
    log,
    lines,
    waitFor: (msg) => new Promise((resolve) => waiters.push({ msg, resolve })),
  };
}

/** A school with one draft course and module (a draft may lose its last lesson); returns its id. */
export async function createSchool(owner: OwnerSession): Promise<string> {
  const [{ id }] = await owner.query<{ id: string }>(
    "insert into public.tenants (name, slug, country, currency, timezone) " +
      "values ('Video School', 'video-school', 'KE', 'KES', 'Africa/Nairobi') returning id",
  );
  await owner.query(
    "insert into public.courses (id, tenant_id, code, title, subject, grade_level, status) " +
      "values ($1, $2, 'BIO-10', 'Biology 10', 'biology', '10', 'draft')",
    [COURSE, id],
  );
  await owner.query(
    "insert into public.modules (id, tenant_id, course_id, title, position) values ($1, $2, $3, 'Cells', 1)",
    [MODULE, id, COURSE],
  );
  return id;
}

let position = 0;

/** A video lesson whose file is `storagePath` (the trigger queues its job); returns its id. */
export async function addVideoLesson(
  owner: OwnerSession,
  tenantId: string,
  storagePath: string,
): Promise<string> {
  const [{ id }] = await owner.query<{ id: string }>(
    "insert into public.lessons (tenant_id, course_id, module_id, title, kind, position, storage_path, " +
      "content_type, byte_size) values ($1, $2, $3, 'A video', 'video', $4, $5, 'video/mp4', 1000) returning id",
    [tenantId, COURSE, MODULE, ++position, storagePath],
  );
  return id;
}

export interface JobRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  source_path: string;
  output_prefix: string | null;
  /** Seconds until run_after. */
  wait: number;
}

export async function jobsOf(owner: OwnerSession, lessonId: string): Promise<JobRow[]> {
  return await owner.query<JobRow>(
    "select id::text, status, attempts, last_error, source_path, output_prefix, " +
      "extract(epoch from run_after - now())::float8 as wait " +
      "from private.video_jobs where lesson_id = $1 order by id",
    [lessonId],
  );
}

export interface RenditionRow {
  source_path: string;
  hls_prefix: string;
  variants: { name: string; width: number; height: number; bandwidth: number }[];
  job_id: string;
}

export async function renditionOf(
  owner: OwnerSession,
  lessonId: string,
): Promise<RenditionRow | undefined> {
  const [row] = await owner.query<RenditionRow>(
    "select source_path, hls_prefix, variants, job_id::text from public.lesson_renditions where lesson_id = $1",
    [lessonId],
  );
  return row;
}

/** Time passes: queued jobs become due now. */
export async function makeDue(owner: OwnerSession): Promise<void> {
  await owner.query("update private.video_jobs set run_after = now() where status = 'queued'");
}

export interface TestFiles extends TestStorage {
  /** Every stored file under `prefix`, relative to it, sorted (type sidecars left out). */
  list(prefix: string): Promise<string[]>;
  read(path: string): Promise<string>;
}

/** The tests' local-disk storage (tests/support/app.ts), and a look inside it. */
export async function openFiles(): Promise<TestFiles> {
  const files = await openTestStorage();
  async function walk(folder: string, base: string, out: string[]) {
    for await (const entry of Deno.readDir(folder)) {
      const rel = base ? `${base}/${entry.name}` : entry.name;
      if (entry.isDirectory) await walk(join(folder, entry.name), rel, out);
      else if (!entry.name.startsWith(".")) out.push(rel);
    }
  }
  return Object.assign(files, {
    async list(prefix: string) {
      const out: string[] = [];
      try {
        await walk(join(files.dir, prefix), "", out);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      return out.sort();
    },
    read: (path: string) => Deno.readTextFile(join(files.dir, path)),
  });
}

/** A temp dir for the worker's own temp dirs, so tests can see that it empties it. */
export async function workerTempDir(): Promise<
  { path: string; entries(): Promise<string[]> } & AsyncDisposable
> {
  const path = await Deno.makeTempDir({ prefix: "elymica-video-tmp-" });
  return {
    path,
    async entries() {
      const out: string[] = [];
      for await (const entry of Deno.readDir(path)) out.push(entry.name);
      return out;
    },
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}
