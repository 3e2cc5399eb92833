/**
 * A local stand-in for Supabase Storage's REST API (supabase/storage, the server behind
 * `supabase.storage`), for tests and for trying the Supabase backend without a project. Same
 * paths under `/storage/v1`, headers (`Authorization: Bearer <service key>`, `apikey`,
 * `x-upsert`), JSON bodies and error shape (`{ statusCode, error, message }`); signed URLs carry
 * an HS256 JWT `{ url: "<bucket>/<path>", iat, exp }` in `?token=` as the real server's do.
 * Objects live in memory. As on a project, a bucket must exist (`POST /bucket`, which answers an
 * existing one with `statusCode: "409"`) before objects can be uploaded into it.
 *
 *   deno run -A lib/storage/supabase_emulator.ts      # prints the URL and the service key
 *   SUPABASE_URL=http://127.0.0.1:54321 SUPABASE_SERVICE_ROLE_KEY=emulator-service-key deno task start
 */
import { jwtVerify, SignJWT } from "jose";
import { parseRange } from "./range.ts";

export interface EmulatedObject {
  id: string;
  bytes: Uint8Array;
  contentType: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SupabaseStorageEmulator {
  /** Use as SUPABASE_URL (the project URL; the API is under /storage/v1). */
  url: string;
  serviceKey: string;
  /** The buckets that exist (ids). */
  buckets: Set<string>;
  /** "<bucket>/<path>" → object. */
  objects: Map<string, EmulatedObject>;
  /** Every request: method and path (with query), for wire-format assertions. */
  requests: { method: string; path: string; headers: Headers }[];
  /** The emulator's clock in ms; tests move it to expire tokens. */
  now: () => number;
  setNow(now: () => number): void;
  close(): Promise<void>;
}

const API = "/storage/v1";

const fail = (status: number, error: string, message: string) =>
  Response.json({ statusCode: String(status), error, message }, { status });

export function startSupabaseStorageEmulator(
  options: { serviceKey?: string; port?: number; hostname?: string; jwtSecret?: string } = {},
): SupabaseStorageEmulator {
  const serviceKey = options.serviceKey ?? "emulator-service-key";
  const secret = new TextEncoder().encode(
    options.jwtSecret ?? "emulator-jwt-secret-0123456789abcdef",
  );
  const buckets = new Set<string>();
  const objects = new Map<string, EmulatedObject>();
  const requests: SupabaseStorageEmulator["requests"] = [];
  let now = () => Date.now();

  const authorised = (req: Request) =>
    req.headers.get("Authorization") === `Bearer ${serviceKey}` &&
    req.headers.get("apikey") === serviceKey;

  function serveObject(req: Request, key: string, download?: string | null): Response {
    const object = objects.get(key);
    if (!object) return fail(404, "not_found", "Object not found");
    const size = object.bytes.byteLength;
    const headers = new Headers({
      "Content-Type": object.contentType,
      "Accept-Ranges": "bytes",
      ETag: `"${object.id}"`,
      "Last-Modified": object.updatedAt.toUTCString(),
      "Cache-Control": "no-cache",
    });
    if (download !== null && download !== undefined) {
      headers.set(
        "Content-Disposition",
        `attachment; filename=${encodeURIComponent(download || key.split("/").pop()!)}`,
      );
    }
    if (req.headers.get("If-None-Match") === `"${object.id}"`) {
      return new Response(null, { status: 304, headers });
    }
    const range = parseRange(req.headers.get("Range"), size);
    if (range.kind === "unsatisfiable") {
      headers.set("Content-Range", `bytes */${size}`);
      return new Response(null, { status: 416, headers });
    }
    const [start, end, status] = range.kind === "range"
      ? [range.start, range.end, 206]
      : [0, size - 1, 200];
    if (status === 206) headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
    headers.set("Content-Length", String(end - start + 1));
    const body = req.method === "HEAD" ? null : object.bytes.slice(start, end + 1);
    return new Response(body, { status, headers });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    requests.push({ method: req.method, path: url.pathname + url.search, headers: req.headers });
    if (url.pathname === `${API}/bucket` && req.method === "POST") {
      if (!authorised(req)) return fail(403, "Unauthorized", "Invalid Compact JWS");
      const { id, name } = await req.json() as { id?: string; name?: string };
      const bucket = id || name;
      if (!bucket) return fail(400, "Invalid Input", "Bucket name invalid");
      if (buckets.has(bucket)) return fail(409, "Duplicate", "The resource already exists");
      buckets.add(bucket);
      return Response.json({ name: name ?? bucket });
    }
    if (!url.pathname.startsWith(`${API}/object/`)) {
      return fail(404, "not_found", "Route not found");
    }
    const rest = url.pathname.slice(`${API}/object/`.length).split("/").map(decodeURIComponent);

    // Signed download: the token is the permission, no key needed.
    if (rest[0] === "sign" && (req.method === "GET" || req.method === "HEAD")) {
      const key = rest.slice(1).join("/");
      try {
        const { payload } = await jwtVerify(url.searchParams.get("token") ?? "", secret, {
          currentDate: new Date(now()),
        });
        if (payload.url !== key) {
          return fail(400, "InvalidSignature", "The url do not match the signature");
        }
      } catch (error) {
        return fail(400, "InvalidJWT", (error as Error).message);
      }
      return serveObject(req, key, url.searchParams.get("download"));
    }
    if (!authorised(req)) return fail(403, "Unauthorized", "Invalid Compact JWS");

    if (rest[0] === "sign" && req.method === "POST") {
      const key = rest.slice(1).join("/");
      const { expiresIn } = await req.json();
      if (!Number.isInteger(expiresIn) || expiresIn < 1) {
        return fail(400, "InvalidRequest", "body/expiresIn must be >= 1");
      }
      if (!objects.has(key)) return fail(404, "not_found", "Object not found");
      const iat = Math.floor(now() / 1000);
      const token = await new SignJWT({ url: key }).setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuedAt(iat).setExpirationTime(iat + expiresIn).sign(secret);
      const encoded = key.split("/").map(encodeURIComponent).join("/");
      return Response.json({ signedURL: `/object/sign/${encoded}?token=${token}` });
    }
    if (rest[0] === "list" && req.method === "POST") {
      const bucket = rest[1];
      const { prefix = "", limit = 100, offset = 0 } = await req.json();
      const base = prefix ? `${bucket}/${prefix.replace(/\/$/, "")}/` : `${bucket}/`;
      const entries = new Map<string, unknown>();
      for (const [key, object] of [...objects].sort(([a], [b]) => a.localeCompare(b))) {
        if (!key.startsWith(base)) continue;
        const [name, ...deeper] = key.slice(base.length).split("/");
        entries.set(
          name,
          deeper.length
            ? {
              name,
              id: null,
              updated_at: null,
              created_at: null,
              last_accessed_at: null,
              metadata: null,
            }
            : {
              name,
              id: object.id,
              updated_at: object.updatedAt.toISOString(),
              created_at: object.createdAt.toISOString(),
              last_accessed_at: object.updatedAt.toISOString(),
              metadata: { size: object.bytes.byteLength, mimetype: object.contentType },
            },
        );
      }
      return Response.json([...entries.values()].slice(offset, offset + limit));
    }
    if (rest[0] === "authenticated" && (req.method === "GET" || req.method === "HEAD")) {
      return serveObject(req, rest.slice(1).join("/"));
    }
    if (req.method === "GET" || req.method === "HEAD") return serveObject(req, rest.join("/"));
    if (req.method === "POST" || req.method === "PUT") {
      if (!buckets.has(rest[0])) return fail(404, "Bucket not found", "Bucket not found");
      const key = rest.join("/");
      const exists = objects.has(key);
      if (req.method === "POST" && exists && req.headers.get("x-upsert") !== "true") {
        return fail(409, "Duplicate", "The resource already exists");
      }
      if (req.method === "PUT" && !exists) return fail(404, "not_found", "Object not found");
      const bytes = new Uint8Array(await req.arrayBuffer()); // a cut-off body stores nothing
      const previous = objects.get(key);
      const object = {
        id: crypto.randomUUID(),
        bytes,
        contentType: req.headers.get("content-type") ?? "application/octet-stream",
        createdAt: previous?.createdAt ?? new Date(now()),
        updatedAt: new Date(now()),
      };
      objects.set(key, object);
      return Response.json({ Id: object.id, Key: key });
    }
    if (req.method === "DELETE" && rest.length === 1) {
      const bucket = rest[0];
      const { prefixes } = await req.json();
      const deleted = [];
      for (const name of prefixes as string[]) {
        const object = objects.get(`${bucket}/${name}`);
        if (!object) continue;
        objects.delete(`${bucket}/${name}`);
        deleted.push({
          name,
          bucket_id: bucket,
          id: object.id,
          metadata: { size: object.bytes.byteLength },
        });
      }
      return Response.json(deleted);
    }
    return fail(405, "InvalidRequest", `${req.method} is not supported here`);
  }

  const server = Deno.serve(
    { port: options.port ?? 0, hostname: options.hostname ?? "127.0.0.1", onListen: () => {} },
    handle,
  );
  return {
    url: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`,
    serviceKey,
    buckets,
    objects,
    requests,
    get now() {
      return now;
    },
    setNow(next) {
      now = next;
    },
    close: () => server.shutdown(),
  };
}

if (import.meta.main) {
  const emulator = startSupabaseStorageEmulator({ port: 54321 });
  console.log(
    `Supabase Storage emulator at ${emulator.url}${API} (service key ${emulator.serviceKey})`,
  );
}
