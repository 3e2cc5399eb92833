/**
 * What a storage path may look like. Paths are chosen by the app (e.g. `courses/<id>/m1-l2.pdf`),
 * never taken raw from a request, but both backends and the file route check them anyway: a
 * segment may not be empty, `.` or `..`, start with a dot (temp and metadata files do), or hold
 * a backslash, control character or any character Windows or URLs make awkward.
 */
import { HttpError } from "../fresh/mod.ts";

// deno-lint-ignore no-control-regex -- control characters are exactly what it must refuse
const SEGMENT = /^(?!\.)[^\x00-\x1f\x7f\\/:*?"<>|#%]{1,255}$/;
const MAX_PATH = 1024;

export function isStoragePath(path: string): boolean {
  return typeof path === "string" && path.length <= MAX_PATH &&
    path.split("/").every((segment) => SEGMENT.test(segment) && segment.trim() === segment);
}

/** Returns the path's segments, or throws 400 naming the path. */
export function storageSegments(path: string): string[] {
  if (!isStoragePath(path)) throw new HttpError(400, `Not a valid storage path: ${path}`);
  return path.split("/");
}

/** "a/b/" → "a/b": a prefix is a path whose trailing slash means "everything under it". */
export function prefixPath(prefix: string): string {
  return prefix.replace(/\/+$/, "");
}

/** Each segment percent-encoded, slashes kept: for building URLs. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
