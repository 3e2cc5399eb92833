/**
 * Runs one route: its folder middleware chain (root first), then the method's handler, then
 * the page render when the handler returned `page(data)`. Fresh semantics, on a Hono route.
 */
import type { Context as HonoContext } from "hono";
import { isPageResponse, page } from "./define.ts";
import { HttpError } from "./http_error.ts";
import type { FreshEnv } from "./middleware_stack.ts";
import type { RenderPage } from "./render_page.ts";
import {
  type Context,
  type HandlerFn,
  type Method,
  METHODS,
  type Middleware,
  type RouteModule,
} from "./types.ts";

type AnyContext = Context<Record<string, unknown>>;
type Terminal = (ctx: AnyContext) => Promise<Response>;

/** Checks a route module's exports at start-up and returns the function that serves it. */
export function routeTerminal(file: string, mod: RouteModule, render: RenderPage): Terminal {
  const { handler, default: Page } = mod;
  if (!handler && !Page) throw new Error(`${file}: export a handler, a default page, or both`);
  // One shape for all: a single function serves every method; a page alone serves GET.
  const byMethod: Record<string, unknown> = typeof handler === "function"
    ? Object.fromEntries(METHODS.map((m) => [m, handler]))
    : handler ?? { GET: () => page() };
  for (const [key, fn] of Object.entries(byMethod)) {
    if (!METHODS.includes(key as Method) || typeof fn !== "function") {
      throw new Error(`${file}: handler.${key} is not one of ${METHODS.join(", ")}`);
    }
  }
  const fns = byMethod as Record<string, HandlerFn<unknown, Record<string, unknown>>>;
  const allowed = Object.keys(fns);
  if (fns.GET && !fns.HEAD) allowed.push("HEAD");

  return async (ctx) => {
    const method = ctx.req.method;
    const fn = fns[method] ?? (method === "HEAD" ? fns.GET : undefined);
    if (!fn) {
      throw new HttpError(405, `${method} is not allowed here (allowed: ${allowed.join(", ")}).`, {
        headers: { Allow: allowed.join(", ") },
      });
    }
    const result = await fn(ctx);
    if (result instanceof Response) return result;
    if (isPageResponse(result)) {
      if (!Page) {
        throw new Error(`${file}: handler returned page() but the file has no default page`);
      }
      const { state, url, params } = ctx;
      return render(Page, { data: result.data, state, url, params }, result);
    }
    throw new Error(`${file}: handler must return a Response or page(data)`);
  };
}

/** Runs `middlewares` then `terminal`, Fresh style: each calls `ctx.next()` for the rest. */
export function runChain(
  middlewares: Middleware<Record<string, unknown>>[],
  terminal: Terminal,
  c: HonoContext<FreshEnv>,
): Promise<Response> {
  const base = {
    req: c.req.raw,
    url: new URL(c.req.url),
    params: c.req.param() as Record<string, string>,
    state: c.get("state"),
    hono: c as HonoContext,
    redirect: (location: string, status = 303) =>
      new Response(null, { status, headers: { Location: location } }),
  };
  let called = -1;
  const dispatch = async (i: number): Promise<Response> => {
    if (i <= called) throw new Error("ctx.next() was called more than once");
    called = i;
    const ctx: AnyContext = { ...base, next: () => dispatch(i + 1) };
    if (i < middlewares.length) return await middlewares[i](ctx);
    if (i === middlewares.length) return await terminal(ctx);
    throw new HttpError(404); // the route itself called next(): nothing comes after it
  };
  return dispatch(0);
}
