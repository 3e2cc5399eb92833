/**
 * Demo media: the demo seed's video and PDF lessons name storage paths (`demo/<school>/<code>/
 * mN-lM.mp4|pdf`); this step puts a real file at each — the shipped sample video, or a
 * worksheet PDF generated with the lesson's title — and sets each lesson's byte size and
 * duration to the file's, so every demo lesson opens and says the truth about its download.
 */
import { fileURLToPath } from "node:url";
import type { OwnerSession } from "../db/owner.ts";
import type { FileStorage } from "../storage/types.ts";
import { worksheetPdf } from "./worksheet_pdf.ts";

/** Made by scripts/make_sample_video.ts (12 s, 240p, H.264 + AAC, faststart). */
export const SAMPLE_VIDEO = fileURLToPath(
  new URL("../../supabase/seed-media/sample.mp4", import.meta.url),
);
export const SAMPLE_VIDEO_SECONDS = 12;

interface DemoLesson {
  id: string;
  kind: "video" | "pdf";
  storage_path: string;
  title: string;
  course: string;
  module: string;
  school: string;
}

/** Puts the files of the demo lessons (all, or those of some courses); returns how many. */
export async function seedDemoMedia(
  owner: OwnerSession,
  storage: FileStorage,
  options: { courseIds?: string[] } = {},
): Promise<number> {
  const lessons = await owner.query<DemoLesson>(
    `select l.id, l.kind::text as kind, l.storage_path, l.title, c.title as course,
            m.title as module, t.name as school
       from public.lessons l
       join public.courses c on c.id = l.course_id
       join public.modules m on m.id = l.module_id
       join public.tenants t on t.id = l.tenant_id
      where l.storage_path like 'demo/%'
        and ($1::jsonb is null
             or l.course_id::text in (select jsonb_array_elements_text($1::jsonb -> 'ids')))
      order by l.storage_path`,
    // wrapped in objects: both drivers send an object as jsonb, but a bare array as a SQL array
    [options.courseIds ? { ids: options.courseIds } : null],
  );
  const sizes: { id: string; byte_size: number; duration_seconds: number | null }[] = [];
  for (const lesson of lessons) {
    if (lesson.kind === "video") {
      const stored = await storage.putFile(lesson.storage_path, SAMPLE_VIDEO, "video/mp4");
      sizes.push({
        id: lesson.id,
        byte_size: stored.byteSize,
        duration_seconds: SAMPLE_VIDEO_SECONDS,
      });
    } else {
      const pdf = worksheetPdf(lesson);
      // Through put(), like an upload: the bytes are sniffed and checked as any PDF would be.
      const stored = await storage.put(lesson.storage_path, ReadableStream.from([pdf]), {
        maxBytes: pdf.byteLength,
        allowedTypes: ["application/pdf"],
      });
      sizes.push({ id: lesson.id, byte_size: stored.byteSize, duration_seconds: null });
    }
  }
  if (sizes.length) {
    await owner.query(
      `update public.lessons l
          set byte_size = v.byte_size,
              duration_seconds = coalesce(v.duration_seconds, l.duration_seconds)
         from jsonb_to_recordset($1::jsonb -> 'rows') as v(id uuid, byte_size bigint, duration_seconds int)
        where l.id = v.id`,
      [{ rows: sizes }],
    );
  }
  return lessons.length;
}
