/**
 * Reading a lesson's HLS ladder for the player: the SQL column that picks it (only while it was
 * made from the lesson's current file) and the signed master URL. The signature covers the whole
 * prefix, so the variant playlists and segments the master names relatively verify too.
 */
import type { FileStorage } from "../storage/types.ts";

/**
 * A select-list column `hls_prefix` for a query over public.lessons aliased `lessons`. RLS on
 * lesson_renditions is the lesson's own, so it grants nothing the lesson row did not.
 */
export const hlsPrefixColumn = (lessons = "l") =>
  `(select r.hls_prefix from public.lesson_renditions r
     where r.tenant_id = ${lessons}.tenant_id and r.lesson_id = ${lessons}.id
       and r.source_path = ${lessons}.storage_path) as hls_prefix`;

/**
 * How long a video's URLs live — the ladder's and the MP4's: a player fetches segments or byte
 * ranges all along the playback, so 15 minutes (a PDF's URL's life) would cut a longer lesson off
 * half-way. Twice the video's length (pauses, rewinds) plus 15 minutes, at most 6 hours.
 */
export function videoTtlSeconds(durationSeconds: number): number {
  return Math.min(6 * 3600, 900 + 2 * Math.max(0, durationSeconds || 0));
}

/** The signed URL of the ladder's master playlist, or null when the lesson has no ladder. */
export async function hlsUrlFor(
  storage: Pick<FileStorage, "signedFolderUrl">,
  hlsPrefix: string | null | undefined,
  durationSeconds: number,
): Promise<string | null> {
  if (!hlsPrefix) return null;
  return await storage.signedFolderUrl(hlsPrefix, "master.m3u8", {
    ttlSeconds: videoTtlSeconds(durationSeconds),
  });
}
