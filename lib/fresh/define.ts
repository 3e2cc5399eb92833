/**
 * `page()` and `createDefine()`: the Fresh 2 helpers. The define functions return their
 * argument unchanged; they exist so TypeScript infers `ctx` and the page's `data` type.
 */
import type { AnyComponent } from "preact";
import type {
  HandlerByMethod,
  HandlerFn,
  Middleware,
  PageProps,
  PageResponse,
  RouteHandler,
} from "./types.ts";

// A WeakSet rather than a marker property: handler data can never forge a page result.
const pageResults = new WeakSet<object>();

/** Return from a handler to render the route's page with `data` (optionally status/headers). */
export function page<Data = undefined>(
  data?: Data,
  init?: { status?: number; headers?: HeadersInit },
): PageResponse<Data> {
  const result = { data: data as Data, status: init?.status, headers: init?.headers };
  pageResults.add(result);
  return result;
}

export function isPageResponse(value: unknown): value is PageResponse<unknown> {
  return typeof value === "object" && value !== null && pageResults.has(value);
}

export interface Define<State> {
  handlers<Data, H extends RouteHandler<Data, State> = RouteHandler<Data, State>>(handlers: H): H;
  page<
    // deno-lint-ignore no-explicit-any
    H extends RouteHandler<any, State> = never,
    Data = H extends HandlerFn<infer D, State> ? D
      : H extends HandlerByMethod<infer D, State> ? D
      : undefined,
  >(render: AnyComponent<PageProps<Data, State>>): typeof render;
  middleware<M extends Middleware<State> | Middleware<State>[]>(middleware: M): M;
}

export function createDefine<State>(): Define<State> {
  return {
    handlers: (handlers) => handlers,
    page: (render) => render,
    middleware: (middleware) => middleware,
  };
}
