/**
 * File storage (ARCHITECTURE §7): the contract in types.ts, the backend chosen by configuration.
 */
import type { StorageConfig } from "../config.ts";
import { HttpError } from "../fresh/mod.ts";
import { createLocalStorage, type ServingStorage } from "./local.ts";
import { createSupabaseStorage } from "./supabase.ts";
import { deriveSigningKey } from "./signing.ts";
import type { FileStorage } from "./types.ts";

export type { FileStorage, PutLimits, StoredFile } from "./types.ts";
export { createLocalStorage, type ServingStorage } from "./local.ts";
export { createSupabaseStorage } from "./supabase.ts";

/**
 * The configured backend; both sign their own folder URLs with a key derived from jwtSecret. A
 * Supabase project gets its private bucket here if it has none yet, so a new deployment needs no
 * step in the dashboard.
 */
export async function createStorage(
  config: StorageConfig,
  jwtSecret: string,
): Promise<ServingStorage> {
  const signingKey = await deriveSigningKey(jwtSecret);
  if (config.kind !== "supabase") return createLocalStorage({ root: config.dir, signingKey });
  const storage = createSupabaseStorage({ ...config, signingKey });
  await storage.ensureBucket();
  return storage;
}

/** Origins other than ours that signed URLs point at (pages must allow them as media sources). */
export function fileOrigins(storage: FileStorage): string[] {
  const origin = (storage as { origin?: unknown }).origin;
  return typeof origin === "string" ? [origin] : [];
}

/** Stands in where an app is built without storage (web-layer tests): every call is a 503. */
const notSetUp = () => Promise.reject(new HttpError(503, "File storage is not set up."));
export const noStorage: FileStorage = {
  put: notSetUp,
  putFile: notSetUp,
  fetchToFile: notSetUp,
  signedUrl: notSetUp,
  signedFolderUrl: notSetUp,
  delete: notSetUp,
};
