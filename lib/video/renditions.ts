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

/** The signed URL of the ladder's master playlist, or null when the lesson has no ladder. */
export async function hlsUrlFor(
  storage: Pick<FileStorage, "signedFolderUrl">,
  hlsPrefix: string | null | undefined,
  options: { ttlSeconds?: number } = {},
): Promise<string | null> {
  if (!hlsPrefix) return null;
  return await storage.signedFolderUrl(hlsPrefix, "master.m3u8", options);
}
