/**
 * Signed file URLs of the local backend: `/files/<expires>.<scope>.<mac>/<path>[?download=name]`.
 *
 * The token sits in the path, not the query, so that relative URLs inside an HLS playlist
 * (`360p/index.m3u8`, `seg-001.ts`) resolve to URLs that carry it too. `<scope>` is 0 for one
 * file, or the number of leading path segments the signature covers (a folder). The MAC is
 * HMAC-SHA256 over the expiry, the scope, the signed path or folder and the download name, so
 * changing any of them — or adding a download name — breaks it; `crypto.subtle.verify`
 * compares in constant time.
 */
import { HttpError } from "../fresh/mod.ts";
import { decodeBase64Url, encodeBase64Url } from "../auth/encoding.ts";
import { encodePath, isStoragePath } from "./paths.ts";

export const FILES_ROUTE = "/files";

/**
 * The URL-signing key, derived from the JWT secret with HKDF so that one secret is configured
 * and a leaked file URL says nothing about the token key (docs/decisions.md).
 */
export async function deriveSigningKey(jwtSecret: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(jwtSecret),
    "HKDF",
    false,
    ["deriveKey"],
  );
  return await crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new TextEncoder().encode("elymica/storage"),
      info: new TextEncoder().encode("signed file URLs v1"),
    },
    base,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign", "verify"],
  );
}

interface Signed {
  expires: number;
  /** 0: exactly `path`; n > 0: any path whose first n segments are the signed folder. */
  scope: number;
  signedPath: string;
  downloadName?: string;
}

const message = (s: Signed) =>
  new TextEncoder().encode(
    `elymica-file\n${s.expires}\n${s.scope}\n${s.signedPath}\n${s.downloadName ?? ""}`,
  );

/** The URL (path and query) of `path`, signed for one file or for the folder of `scope` segments. */
export async function signFileUrl(
  key: CryptoKey,
  path: string,
  options: { expires: number; scope?: number; downloadName?: string },
): Promise<string> {
  const segments = path.split("/");
  const scope = options.scope ?? 0;
  const signed: Signed = {
    expires: options.expires,
    scope,
    signedPath: scope === 0 ? path : segments.slice(0, scope).join("/"),
    downloadName: options.downloadName,
  };
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message(signed)));
  const query = options.downloadName ? `?download=${encodeURIComponent(options.downloadName)}` : "";
  return `${FILES_ROUTE}/${options.expires}.${scope}.${encodeBase64Url(mac)}/${
    encodePath(path)
  }${query}`;
}

export interface VerifiedFile {
  path: string;
  downloadName?: string;
  /** Unix seconds. */
  expires: number;
}

const TOKEN = /^(\d{1,12})\.(\d{1,3})\.([A-Za-z0-9_-]{43})$/;

const invalid = () =>
  new HttpError(
    403,
    "This file link is not valid. Open the lesson again to get a fresh link.",
  );

/**
 * Checks a request to the file route. `rest` is the URL path after `/files/` as sent (still
 * percent-encoded), `search` its query. Refuses with 403 (tampered, malformed or expired) or
 * 404 (a path that is no storage path at all).
 */
export async function verifyFileUrl(
  key: CryptoKey,
  rest: string,
  search: URLSearchParams,
  nowMs: number,
): Promise<VerifiedFile> {
  const slash = rest.indexOf("/");
  const match = TOKEN.exec(slash < 0 ? rest : rest.slice(0, slash));
  if (!match || slash < 0) throw invalid();
  let path: string;
  try {
    path = rest.slice(slash + 1).split("/").map(decodeURIComponent).join("/");
  } catch {
    throw new HttpError(404, "No such file.");
  }
  if (!isStoragePath(path)) throw new HttpError(404, "No such file.");
  const expires = Number(match[1]);
  const scope = Number(match[2]);
  const segments = path.split("/");
  if (scope >= segments.length) throw invalid(); // a folder URL names a file inside the folder
  const downloadName = search.get("download") ?? undefined;
  const signed: Signed = {
    expires,
    scope,
    signedPath: scope === 0 ? path : segments.slice(0, scope).join("/"),
    downloadName,
  };
  const ok = await crypto.subtle.verify("HMAC", key, decodeBase64Url(match[3]), message(signed));
  if (!ok) throw invalid();
  if (expires * 1000 <= nowMs) {
    throw new HttpError(
      403,
      "This file link has expired (links last 15 minutes). Open the lesson again to get a fresh one.",
    );
  }
  return { path, downloadName, expires };
}

/** For the request log: the signature is a bearer credential for 15 minutes, so it is masked. */
export function redactFileUrlPath(pathname: string): string {
  return pathname.startsWith(`${FILES_ROUTE}/`)
    ? pathname.replace(/^(\/files\/\d+\.\d+\.)[^/]+/, "$1…")
    : pathname;
}
