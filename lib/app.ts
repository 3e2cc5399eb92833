/**
 * Elymica's app: the routes, islands and static files of this repository on the web layer,
 * with database errors mapped to HTTP in the one place that knows both.
 */
import freshConfig from "../fresh.config.ts";
import { createApp, type FreshApp, HttpError } from "./fresh/mod.ts";
import { DbError, httpFailureFor } from "./db/errors.ts";
import type { Db } from "./db/types.ts";
import type { Logger } from "./log.ts";
import type { State } from "./state.ts";

export function dbErrorToHttp(err: unknown): HttpError | undefined {
  if (!(err instanceof DbError)) return undefined;
  const { status, message } = httpFailureFor(err);
  return new HttpError(status, message, { cause: err });
}

export function createElymicaApp(
  db: Db,
  options: { bodyLimitBytes?: number; log?: Logger; rootDir?: string } = {},
): Promise<FreshApp> {
  return createApp<State>({
    rootDir: options.rootDir ?? freshConfig.rootDir,
    state: { db },
    bodyLimitBytes: options.bodyLimitBytes,
    log: options.log,
    toHttpError: dbErrorToHttp,
  });
}
