/**
 * The file storage contract (BRIEF "Shared contract: file storage"): lesson files, uploads and
 * HLS outputs go through this interface, backed by local disk or Supabase Storage.
 */
export interface StoredFile {
  path: string;
  contentType: string;
  byteSize: number;
}

/** Limits of one upload; `allowedTypes` are compared with the type sniffed from the bytes. */
export interface PutLimits {
  maxBytes: number;
  allowedTypes: readonly string[];
}

export interface FileStorage {
  /** Streams body to `path`; type sniffed from the bytes; over maxBytes → HttpError 413, type not
   * allowed → 415; on any refusal or interrupted stream nothing is left behind (temp + rename). */
  put(path: string, body: ReadableStream<Uint8Array>, limits: PutLimits): Promise<StoredFile>;
  /** Stores a local file as is (job outputs, e.g. HLS playlists and segments). */
  putFile(path: string, localFile: string, contentType: string): Promise<StoredFile>;
  /** Copies a stored file to a local path (the transcoder reads its input from disk). */
  fetchToFile(path: string, localFile: string): Promise<void>;
  /** A URL the browser can GET for ttlSeconds (default 900) — served with range requests. */
  signedUrl(
    path: string,
    options?: { ttlSeconds?: number; downloadName?: string },
  ): Promise<string>;
  /** A signed URL for `${prefix}/${entry}` whose signature covers the whole prefix, so relative
   * URLs inside an HLS playlist (variant playlists, segments) resolve and verify too. */
  signedFolderUrl(
    prefix: string,
    entry: string,
    options?: { ttlSeconds?: number },
  ): Promise<string>;
  /** Removes a file, or every file under a prefix ending in "/". */
  delete(pathOrPrefix: string): Promise<void>;
}

/** Signed URLs live 15 minutes unless a caller asks otherwise. */
export const DEFAULT_TTL_SECONDS = 900;
