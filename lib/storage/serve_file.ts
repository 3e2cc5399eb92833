/**
 * Answers a GET or HEAD for a file on disk the way video players and PDF viewers expect: one
 * byte range (206) or the whole file, conditional requests (ETag, If-Range), and headers that
 * keep the browser from reading the file as anything but its stored type.
 */
import { HttpError } from "../fresh/mod.ts";
import { fileRangeStream } from "./file_stream.ts";
import { parseRange } from "./range.ts";

export interface ServeOptions {
  /** Absolute or root-relative path on disk. */
  file: string;
  contentType: string;
  /** Set when the URL was signed for download: Content-Disposition: attachment with this name. */
  downloadName?: string;
  /** How long a browser may reuse the response: at most until the URL expires. */
  maxAgeSeconds: number;
}

export async function serveFile(req: Request, options: ServeOptions): Promise<Response> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(options.file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new HttpError(404, "No such file.");
    throw error;
  }
  if (!info.isFile) throw new HttpError(404, "No such file.");
  const size = info.size;
  const mtime = info.mtime ?? new Date(0);
  const etag = `"${size.toString(16)}-${mtime.getTime().toString(16)}"`;
  const headers = new Headers({
    "Content-Type": options.contentType,
    "Accept-Ranges": "bytes",
    ETag: etag,
    "Last-Modified": mtime.toUTCString(),
    "Cache-Control": `private, max-age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    "X-Content-Type-Options": "nosniff",
    // Files are never pages: no scripts, and only our own lesson pages may frame them (PDFs).
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Disposition": contentDisposition(options.downloadName),
  });

  if (matchesEtag(req.headers.get("If-None-Match"), etag)) {
    return new Response(null, { status: 304, headers });
  }
  const ifRange = req.headers.get("If-Range");
  const rangeHeader = ifRange && ifRange !== etag ? null : req.headers.get("Range");
  const range = parseRange(rangeHeader, size);
  if (range.kind === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${size}`);
    headers.delete("Content-Type");
    return new Response(null, { status: 416, headers });
  }
  const [start, end, status] = range.kind === "range"
    ? [range.start, range.end, 206]
    : [0, size - 1, 200];
  if (status === 206) headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
  headers.set("Content-Length", String(Math.max(0, end - start + 1)));
  if (req.method === "HEAD" || size === 0) return new Response(null, { status, headers });
  return new Response(await fileRangeStream(options.file, start, end), { status, headers });
}

function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === "*" ||
    ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/** RFC 6266: an ASCII fallback name plus the exact UTF-8 name for browsers that read it. */
export function contentDisposition(downloadName?: string): string {
  if (!downloadName) return "inline";
  const fallback = downloadName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${
    encodeURIComponent(downloadName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)
  }`;
}
