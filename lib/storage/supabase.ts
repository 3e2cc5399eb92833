/**
 * Supabase Storage backend, spoken over its REST API with fetch (the wire format of
 * `supabase.storage` / storage-js): upload `POST /object/<bucket>/<path>` with `x-upsert`,
 * signed URLs from `POST /object/sign/<bucket>/<path>`, download `GET /object/<bucket>/<path>`,
 * delete `DELETE /object/<bucket>` with `{ prefixes }`, listing `POST /object/list/<bucket>`.
 *
 * Supabase signs one object per URL, so a signed folder (HLS) cannot be expressed there: folder
 * URLs are this app's own `/files/...` URLs, verified here and proxied from the bucket with the
 * service key, ranges passed through (docs/decisions.md).
 */
import { join } from "node:path";
import { HttpError } from "../fresh/mod.ts";
import type { ServingStorage } from "./local.ts";
import { encodePath, prefixPath, storageSegments } from "./paths.ts";
import { receiveToFile } from "./receive.ts";
import { contentDisposition } from "./serve_file.ts";
import { signFileUrl, verifyFileUrl } from "./signing.ts";
import { DEFAULT_TTL_SECONDS, type PutLimits, type StoredFile } from "./types.ts";

export interface SupabaseStorageOptions {
  /** The project URL, e.g. https://abcd.supabase.co (the API is under /storage/v1). */
  url: string;
  serviceRoleKey: string;
  bucket: string;
  /** Signs folder URLs served through this app. */
  signingKey: CryptoKey;
  now?: () => number;
  fetch?: typeof fetch;
}

/** Headers of an upstream file response worth passing to the browser. */
const PASSED_HEADERS = [
  "Content-Type",
  "Content-Length",
  "Content-Range",
  "Accept-Ranges",
  "ETag",
  "Last-Modified",
];

export function createSupabaseStorage(options: SupabaseStorageOptions): ServingStorage & {
  origin: string;
  /** Creates the private bucket when the project has none of that name; true when it did. */
  ensureBucket(): Promise<boolean>;
} {
  const api = `${options.url.replace(/\/+$/, "")}/storage/v1`;
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const auth = {
    Authorization: `Bearer ${options.serviceRoleKey}`,
    apikey: options.serviceRoleKey,
  };
  const objectUrl = (path: string) => `${api}/object/${options.bucket}/${encodePath(path)}`;

  /** Throws an error a log can show (status and Supabase's code, never the key). */
  async function check(res: Response, what: string): Promise<Response> {
    if (res.ok || res.status === 206 || res.status === 304 || res.status === 416) return res;
    const body = await res.json().catch(() => ({})) as { statusCode?: string; error?: string };
    if (res.status === 404 || body.statusCode === "404") {
      throw new HttpError(404, "No such file.");
    }
    throw new Error(
      `Supabase Storage ${what}: HTTP ${res.status} ${body.error ?? ""}`.trim(),
    );
  }

  async function upload(path: string, body: BodyInit, contentType: string) {
    await check(
      await doFetch(objectUrl(path), {
        method: "POST",
        headers: {
          ...auth,
          "content-type": contentType,
          "x-upsert": "true",
          "cache-control": "max-age=3600",
        },
        body,
      }),
      `upload of ${path}`,
    );
  }

  /** Streams a local file up; the handle is closed whether or not the upload succeeds. */
  async function uploadFile(path: string, localFile: string, contentType: string) {
    const file = await Deno.open(localFile, { read: true });
    try {
      await upload(path, file.readable, contentType);
    } finally {
      try {
        file.close();
      } catch {
        // already closed by its stream reaching the end
      }
    }
  }

  /** Every object under a folder, recursively (the list API returns one level at a time). */
  async function listAll(folder: string): Promise<string[]> {
    const out: string[] = [];
    for (let offset = 0;; offset += 1000) {
      const res = await check(
        await doFetch(`${api}/object/list/${options.bucket}`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({
            prefix: folder,
            limit: 1000,
            offset,
            sortBy: { column: "name", order: "asc" },
          }),
        }),
        `listing of ${folder}`,
      );
      const entries = await res.json() as { name: string; id: string | null }[];
      for (const entry of entries) {
        const path = `${folder}/${entry.name}`;
        if (entry.id === null) out.push(...await listAll(path));
        else out.push(path);
      }
      if (entries.length < 1000) return out;
    }
  }

  return {
    origin: new URL(options.url).origin,

    async ensureBucket() {
      const res = await doFetch(`${api}/bucket`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ id: options.bucket, name: options.bucket, public: false }),
      });
      if (res.ok) {
        await res.body?.cancel();
        return true;
      }
      // supabase/storage answers an existing bucket with statusCode "409" in the body, and HTTP
      // 400 (its errors' HTTP status is 400 unless 500); 409 is accepted too.
      const body = await res.json().catch(() => ({})) as { statusCode?: string; error?: string };
      if (res.status === 409 || body.statusCode === "409") return false;
      throw new Error(
        `Supabase Storage could not create the bucket ${options.bucket}: HTTP ${res.status} ${
          body.error ?? ""
        }`.trim(),
      );
    },

    async put(path: string, body: ReadableStream<Uint8Array>, limits: PutLimits) {
      storageSegments(path);
      // Received into a temp file first: only a complete, accepted file is ever sent on.
      const dir = await Deno.makeTempDir({ prefix: "elymica-upload-" });
      try {
        const temp = join(dir, "upload");
        const received = await receiveToFile(body, limits, temp);
        await uploadFile(path, temp, received.contentType);
        return { path, ...received };
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },

    async putFile(path: string, localFile: string, contentType: string): Promise<StoredFile> {
      storageSegments(path);
      const { size } = await Deno.stat(localFile);
      await uploadFile(path, localFile, contentType);
      return { path, contentType, byteSize: size };
    },

    async fetchToFile(path: string, localFile: string) {
      storageSegments(path);
      const res = await check(
        await doFetch(objectUrl(path), { headers: auth }),
        `download of ${path}`,
      );
      await Deno.writeFile(localFile, res.body!);
    },

    async signedUrl(path: string, opts: { ttlSeconds?: number; downloadName?: string } = {}) {
      storageSegments(path);
      const res = await check(
        await doFetch(`${api}/object/sign/${options.bucket}/${encodePath(path)}`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({ expiresIn: opts.ttlSeconds ?? DEFAULT_TTL_SECONDS }),
        }),
        `signing of ${path}`,
      );
      const { signedURL } = await res.json() as { signedURL: string };
      const download = opts.downloadName
        ? `&download=${encodeURIComponent(opts.downloadName)}`
        : "";
      return `${api}${signedURL}${download}`;
    },

    signedFolderUrl(prefix: string, entry: string, opts: { ttlSeconds?: number } = {}) {
      const folder = storageSegments(prefixPath(prefix));
      const path = `${folder.join("/")}/${entry}`;
      storageSegments(path);
      return signFileUrl(options.signingKey, path, {
        expires: Math.floor(now() / 1000) + (opts.ttlSeconds ?? DEFAULT_TTL_SECONDS),
        scope: folder.length,
      });
    },

    async delete(pathOrPrefix: string) {
      const paths = pathOrPrefix.endsWith("/")
        ? await listAll(storageSegments(prefixPath(pathOrPrefix)).join("/"))
        : [storageSegments(pathOrPrefix).join("/")];
      for (let i = 0; i < paths.length; i += 1000) {
        await check(
          await doFetch(`${api}/object/${options.bucket}`, {
            method: "DELETE",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify({ prefixes: paths.slice(i, i + 1000) }),
          }),
          `delete under ${pathOrPrefix}`,
        );
      }
    },

    async serve(req: Request, rest: string, search: URLSearchParams) {
      const nowMs = now();
      const signed = await verifyFileUrl(options.signingKey, rest, search, nowMs);
      const forwarded: Record<string, string> = { ...auth };
      for (const name of ["Range", "If-Range", "If-None-Match"]) {
        const value = req.headers.get(name);
        if (value) forwarded[name] = value;
      }
      const upstream = await check(
        await doFetch(objectUrl(signed.path), { method: req.method, headers: forwarded }),
        `download of ${signed.path}`,
      );
      const headers = new Headers({
        "Cache-Control": `private, max-age=${
          Math.max(0, Math.floor(signed.expires - nowMs / 1000))
        }`,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'",
        "X-Frame-Options": "SAMEORIGIN",
        "Content-Disposition": contentDisposition(signed.downloadName),
      });
      for (const name of PASSED_HEADERS) {
        const value = upstream.headers.get(name);
        if (value) headers.set(name, value);
      }
      const body = req.method === "HEAD" ? null : upstream.body;
      if (!body) await upstream.body?.cancel();
      return new Response(body, { status: upstream.status, headers });
    },
  };
}
