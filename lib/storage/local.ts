/**
 * Local-disk storage (the default): files under one root folder, their stored type in a hidden
 * sidecar (`.<name>.type`), uploads written to a hidden temp file in the same folder and renamed
 * into place only when complete, signed URLs served by `routes/files/[...path].ts`.
 */
import { dirname, join } from "node:path";
import { HttpError } from "../fresh/mod.ts";
import { prefixPath, storageSegments } from "./paths.ts";
import { receiveToFile } from "./receive.ts";
import { serveFile } from "./serve_file.ts";
import { signFileUrl, verifyFileUrl } from "./signing.ts";
import { DEFAULT_TTL_SECONDS, type FileStorage, type PutLimits, type StoredFile } from "./types.ts";

/** A storage whose signed URLs point at this app, which must then serve them. */
export interface ServingStorage extends FileStorage {
  /** Answers GET/HEAD `/files/<rest>`: 403 for a bad or expired signature, else the file. */
  serve(req: Request, rest: string, search: URLSearchParams): Promise<Response>;
}

export interface LocalStorageOptions {
  root: string;
  signingKey: CryptoKey;
  /** Milliseconds since the epoch; tests move it instead of sleeping. */
  now?: () => number;
}

export function createLocalStorage(options: LocalStorageOptions): ServingStorage {
  const now = options.now ?? Date.now;
  const diskPath = (path: string) => join(options.root, ...storageSegments(path));
  const typeFile = (file: string) => join(dirname(file), `.${file.split("/").pop()}.type`);
  const hidden = (file: string, what: string) =>
    join(dirname(file), `.${file.split("/").pop()}.${crypto.randomUUID()}.${what}`);

  /** Writes the type sidecar, then moves the complete temp file into place. */
  async function commit(temp: string, file: string, contentType: string) {
    const typeTemp = hidden(file, "type-part");
    try {
      await Deno.writeTextFile(typeTemp, contentType);
      await Deno.rename(typeTemp, typeFile(file));
      await Deno.rename(temp, file);
    } catch (error) {
      await removeQuietly(typeTemp);
      throw error;
    }
  }

  const expiresAt = (ttlSeconds = DEFAULT_TTL_SECONDS) => Math.floor(now() / 1000) + ttlSeconds;

  return {
    async put(path: string, body: ReadableStream<Uint8Array>, limits: PutLimits) {
      const file = diskPath(path);
      await Deno.mkdir(dirname(file), { recursive: true });
      const temp = hidden(file, "part");
      try {
        const received = await receiveToFile(body, limits, temp);
        await commit(temp, file, received.contentType);
        return { path, ...received };
      } catch (error) {
        await removeQuietly(temp);
        throw error;
      }
    },

    async putFile(path: string, localFile: string, contentType: string): Promise<StoredFile> {
      const file = diskPath(path);
      await Deno.mkdir(dirname(file), { recursive: true });
      const temp = hidden(file, "part");
      try {
        await Deno.copyFile(localFile, temp);
        const { size } = await Deno.stat(temp);
        await commit(temp, file, contentType);
        return { path, contentType, byteSize: size };
      } catch (error) {
        await removeQuietly(temp);
        throw error;
      }
    },

    async fetchToFile(path: string, localFile: string) {
      try {
        await Deno.copyFile(diskPath(path), localFile);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) throw new HttpError(404, "No such file.");
        throw error;
      }
    },

    signedUrl(path: string, opts: { ttlSeconds?: number; downloadName?: string } = {}) {
      storageSegments(path);
      return signFileUrl(options.signingKey, path, {
        expires: expiresAt(opts.ttlSeconds),
        downloadName: opts.downloadName,
      });
    },

    signedFolderUrl(prefix: string, entry: string, opts: { ttlSeconds?: number } = {}) {
      const folder = storageSegments(prefixPath(prefix));
      const path = `${folder.join("/")}/${entry}`;
      storageSegments(path);
      return signFileUrl(options.signingKey, path, {
        expires: expiresAt(opts.ttlSeconds),
        scope: folder.length,
      });
    },

    async delete(pathOrPrefix: string) {
      if (pathOrPrefix.endsWith("/")) {
        await removeQuietly(diskPath(prefixPath(pathOrPrefix)), { recursive: true });
        return;
      }
      const file = diskPath(pathOrPrefix);
      await removeQuietly(file);
      await removeQuietly(typeFile(file));
    },

    async serve(req: Request, rest: string, search: URLSearchParams) {
      const nowMs = now();
      const signed = await verifyFileUrl(options.signingKey, rest, search, nowMs);
      const file = diskPath(signed.path);
      return await serveFile(req, {
        file,
        contentType: await storedType(typeFile(file)),
        downloadName: signed.downloadName,
        maxAgeSeconds: signed.expires - nowMs / 1000,
      });
    },
  };
}

async function storedType(sidecar: string): Promise<string> {
  try {
    return (await Deno.readTextFile(sidecar)).trim();
  } catch (error) {
    // A file put there by hand has no sidecar: never guess a type a browser might execute.
    if (error instanceof Deno.errors.NotFound) return "application/octet-stream";
    throw error;
  }
}

async function removeQuietly(path: string, options?: Deno.RemoveOptions) {
  try {
    await Deno.remove(path, options);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
