/**
 * Serves `static/` from memory: files are read and hashed once at start-up, so every
 * response carries a strong content-hash ETag and a revisit on 3G costs a 304, not the file.
 * Only paths found by that start-up walk can be served, which rules out `..` traversal by
 * construction; paths that try it are refused explicitly as well.
 */
import type { MiddlewareHandler } from "hono";
import { getMimeType } from "hono/utils/mime";
import { join } from "node:path";
import { HttpError } from "./http_error.ts";
import { listDir } from "./route_scan.ts";

export interface StaticFile {
  body: Uint8Array;
  etag: string;
  type: string;
}

/** URL path (`/favicon.ico`) → file. Dotfiles are skipped; a missing folder is empty. */
export async function loadStaticFiles(dir: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  async function walk(path: string, urlPath: string): Promise<void> {
    for (const entry of await listDir(path)) {
      if (entry.name.startsWith(".")) continue;
      const child = join(path, entry.name);
      const url = `${urlPath}/${entry.name}`;
      if (entry.isDirectory) await walk(child, url);
      if (!entry.isFile) continue;
      const body = await Deno.readFile(child);
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
      const hash = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, "0"));
      const type = getMimeType(entry.name) ?? "application/octet-stream";
      files.set(url, { body, etag: `"${hash.join("")}"`, type });
    }
  }
  await walk(dir, "");
  return files;
}

/** True if the path tries to leave its folder (`..`, backslashes, NUL), even percent-encoded. */
export function isTraversal(pathname: string): boolean {
  try {
    const decoded = decodeURIComponent(pathname);
    return /\0|\\/.test(decoded) || decoded.split("/").includes("..");
  } catch {
    return true; // malformed escapes are no file name of ours
  }
}

/** If-None-Match uses weak comparison (RFC 9110), and compress() weakens our ETags. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === "*" ||
    ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

export function serveStaticFiles(
  files: Map<string, StaticFile>,
  options: { cacheControl?: string } = {},
): MiddlewareHandler {
  const cacheControl = options.cacheControl ?? "public, max-age=3600, must-revalidate";
  return async function staticFiles(c, next) {
    const method = c.req.method;
    if (method !== "GET" && method !== "HEAD") return await next();
    const path = new URL(c.req.url).pathname;
    // Answered like any missing file: the error page, and no hint that anything was refused.
    if (isTraversal(path)) throw new HttpError(404);
    const file = files.get(decodeURIComponent(path));
    if (!file) return await next();
    c.set("routePattern", "static");
    const headers = { ETag: file.etag, "Cache-Control": cacheControl };
    if (matches(c.req.header("If-None-Match"), file.etag)) {
      return new Response(null, { status: 304, headers });
    }
    const body = method === "HEAD" ? null : file.body as Uint8Array<ArrayBuffer>;
    return new Response(body, { headers: { ...headers, "Content-Type": file.type } });
  };
}
