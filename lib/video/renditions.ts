/**
 * Reading a lesson's HLS ladder for the player: the SQL fragment that joins it (only while it
 * was made from the lesson's current file) and the signed master URL. The signature covers the
 * whole prefix, so the variant playlists and segments the master names relatively verify too.
 */
import type { FileStorage } from "../storage/types.ts";

/**
 * A `left join` of public.lesson_renditions onto a lessons alias; select `r.hls_prefix`. RLS on
 * the renditions is the lesson's own, so it adds no permission of its own.
 */
export const renditionJoin = (lessons = "l", alias = "r") =>
  `left join public.lesson_renditions ${alias} on ${alias}.tenant_id = ${lessons}.tenant_id ` +
  `and ${alias}.lesson_id = ${lessons}.id and ${alias}.source_path = ${lessons}.storage_path`;

/** The signed URL of the ladder's master playlist, or null when the lesson has no ladder. */
export async function hlsUrlFor(
  storage: Pick<FileStorage, "signedFolderUrl">,
  hlsPrefix: string | null | undefined,
  options: { ttlSeconds?: number } = {},
): Promise<string | null> {
  if (!hlsPrefix) return null;
  return await storage.signedFolderUrl(hlsPrefix, "master.m3u8", options);
}
