/**
 * The shapes a Fresh 2 user expects (Context, handlers, pages, middleware), kept apart from
 * the code so route files can `import type` them without pulling in the server.
 */
import type { Context as HonoContext } from "hono";
import type { ComponentType } from "preact";
import type { RouteConfig } from "./body_limit.ts";

export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type Method = typeof METHODS[number];

/** What handlers, middleware and (partly) pages receive for one request. */
export interface Context<State> {
  /** The request as the route sees it (its body already size-checked by the body limit). */
  req: Request;
  url: URL;
  params: Record<string, string>;
  /** Per-request state: base pieces from `createApp({ state })`, plus requestId and nonce. */
  state: State;
  /** Runs the next middleware or the route itself; call it at most once. */
  next(): Promise<Response>;
  /** A redirect; 303 by default, the right answer to a form POST (post/redirect/get). */
  redirect(location: string, status?: number): Response;
  /** Escape hatch to the underlying Hono context (cookies helpers, env, …). */
  hono: HonoContext;
}

/** Returned by `page(data)`: render the route's default component with `data`. */
export interface PageResponse<Data> {
  data: Data;
  status?: number;
  headers?: HeadersInit;
}

export type HandlerResult<Data> = Response | PageResponse<Data>;

export interface HandlerFn<Data, State> {
  (ctx: Context<State>): HandlerResult<Data> | Promise<HandlerResult<Data>>;
}

export type HandlerByMethod<Data, State> = { [M in Method]?: HandlerFn<Data, State> };

/** One function for every method, or an object with one function per method. */
export type RouteHandler<Data, State> = HandlerFn<Data, State> | HandlerByMethod<Data, State>;

export type Middleware<State> = (ctx: Context<State>) => Response | Promise<Response>;

export interface PageProps<Data, State> {
  data: Data;
  state: State;
  url: URL;
  params: Record<string, string>;
  /** In `_app.tsx`: the page to place in the document. In a page: renders nothing. */
  Component: ComponentType;
}

/** What `_404.tsx` and `_500.tsx` receive as `data`. */
export interface ErrorData {
  status: number;
  /** Safe to show: never a stack trace; generic for 5xx. */
  message: string;
}

/** The exports the scanner accepts from a route file. */
export interface RouteModule {
  // deno-lint-ignore no-explicit-any
  handler?: RouteHandler<any, any>;
  // deno-lint-ignore no-explicit-any
  default?: ComponentType<PageProps<any, any>>;
  /** Per-route settings, e.g. `{ bodyLimitBytes }` for an upload route. */
  // deno-lint-ignore no-explicit-any
  config?: RouteConfig<any>;
}
