/**
 * File storage (ARCHITECTURE §7): the contract in types.ts, the backend chosen by configuration.
 */
import type { StorageConfig } from "../config.ts";
import { HttpError } from "../fresh/mod.ts";
import { createLocalStorage } from "./local.ts";
import { deriveSigningKey } from "./signing.ts";
import type { FileStorage } from "./types.ts";

export type { FileStorage, PutLimits, StoredFile } from "./types.ts";
export { createLocalStorage, type ServingStorage } from "./local.ts";

export async function createStorage(config: StorageConfig, jwtSecret: string) {
  return createLocalStorage({ root: config.dir, signingKey: await deriveSigningKey(jwtSecret) });
}

/** Stands in where an app is built without storage (web-layer tests): every call is a 503. */
export const noStorage: FileStorage = new Proxy({} as FileStorage, {
  get: () => () => Promise.reject(new HttpError(503, "File storage is not set up.")),
});
