/**
 * Elymica's app: the routes, islands and static files of this repository on the web layer,
 * with database errors mapped to HTTP in the one place that knows both.
 */
import freshConfig from "../fresh.config.ts";
import { createApp, type FreshApp } from "./fresh/mod.ts";
import { CatalogCache } from "./catalog_cache.ts";
import { dbErrorToHttp } from "./app_errors.ts";
import { recordRequest } from "./metrics.ts";
import type { Db } from "./db/types.ts";
import type { Logger } from "./log.ts";
import type { DevMailbox } from "./notify/dev_mailbox.ts";
import type { State } from "./state.ts";
import { fileOrigins, noStorage } from "./storage/mod.ts";
import type { UploadLimits } from "./config.ts";
import { DEFAULT_UPLOAD_LIMITS } from "./teaching/upload_limits.ts";
import type { FileStorage } from "./storage/types.ts";
import { redactFileUrlPath } from "./storage/signing.ts";

export interface ElymicaAppOptions {
  db: Db;
  /** Lesson files; without it (web-layer tests) every storage call answers 503. */
  storage?: FileStorage;
  jwtSecret: string;
  metricsToken?: string;
  bodyLimitBytes?: number;
  /** The largest lesson uploads (default: 20 MB PDFs, 500 MB videos). */
  uploads?: UploadLimits;
  log?: Logger;
  /** Shown at /dev/mailbox; only set when the development mailbox is a transport. */
  mailbox?: DevMailbox;
  /** Another folder of routes (tests' fixture apps). */
  rootDir?: string;
}

export function createElymicaApp(options: ElymicaAppOptions): Promise<FreshApp> {
  return createApp<State>({
    rootDir: options.rootDir ?? freshConfig.rootDir,
    state: {
      db: options.db,
      catalog: new CatalogCache(),
      storage: options.storage ?? noStorage,
      uploads: options.uploads ?? DEFAULT_UPLOAD_LIMITS,
      jwtSecret: options.jwtSecret,
      metricsToken: options.metricsToken ?? null,
      session: null,
      mailbox: options.mailbox,
    },
    bodyLimitBytes: options.bodyLimitBytes,
    log: options.log,
    logPath: redactFileUrlPath,
    mediaOrigins: options.storage ? fileOrigins(options.storage) : [],
    toHttpError: dbErrorToHttp,
    onRequestDone: recordRequest,
  });
}
