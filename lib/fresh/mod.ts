/**
 * Fresh's conventions on Hono: file routes, islands, `_app`/`_middleware`/`_404`/`_500`,
 * `define` helpers, static files, and a secure middleware stack. See docs/web-layer.md.
 */
export { type AppOptions, createApp, type FreshApp } from "./app.ts";
export { createDefine, type Define, page } from "./define.ts";
export { HttpError } from "./http_error.ts";
export { type GzipMemo, precompressed } from "./middleware_stack.ts";
export type { RouteConfig } from "./body_limit.ts";
export type {
  Context,
  ErrorData,
  HandlerByMethod,
  HandlerFn,
  Method,
  Middleware,
  PageProps,
  PageResponse,
  RouteHandler,
} from "./types.ts";
