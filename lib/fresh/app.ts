/**
 * The app factory: scans `<rootDir>/routes`, `islands` and `static`, bundles the islands and
 * wires it all into one Hono app behind the middleware stack. Start-up does the checking
 * (bad exports, clashing routes, misnamed islands), so a broken layout fails on deploy
 * rather than on a user's request.
 */
import { type Context as HonoContext, Hono } from "hono";
import { csrf } from "hono/csrf";
import type { ComponentType } from "preact";
import { routeBodyLimit } from "./body_limit.ts";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { log as defaultLog, type Logger } from "../log.ts";
import { HttpError, isApiPath, toPublicError } from "./http_error.ts";
import { buildIslands, BUNDLE_PREFIX } from "./island_build.ts";
import { registerIsland } from "./island_hook.ts";
import {
  compression,
  type FreshEnv,
  type RequestDone,
  requestId,
  requestLog,
  securityHeaders,
} from "./middleware_stack.ts";
import { type AnyPageProps, createPageRenderer } from "./render_page.ts";
import { routeTerminal, runChain } from "./route_handler.ts";
import { moduleFiles, scanRoutes } from "./route_scan.ts";
import { loadStaticFiles, serveStaticFiles } from "./static_files.ts";
import type { Middleware, RouteModule } from "./types.ts";

export interface AppOptions<State extends object> {
  /** Folder holding `routes/`, and optionally `islands/` and `static/`. */
  rootDir: string;
  /** Copied (shallowly) into every request's state, e.g. `{ db }`. */
  state?: Partial<State>;
  /** Request bodies above this get 413. Default 1 MiB. */
  bodyLimitBytes?: number;
  log?: Logger;
  /**
   * Turns errors of the app's own kinds (e.g. database errors) into an HttpError, so handlers
   * can let them propagate; return undefined for errors it does not know.
   */
  toHttpError?: (err: unknown) => HttpError | undefined;
  /** Origins besides ours that pages may play media from and frame (e.g. a file store). */
  mediaOrigins?: string[];
  /** What the request log shows of a path: lets the app mask credentials carried in paths. */
  logPath?: (pathname: string) => string;
  /** Called once per request after it is answered (metrics). */
  onRequestDone?: (done: RequestDone) => void;
}

export interface FreshApp {
  /** Hand this to `Deno.serve`. */
  fetch(req: Request, info?: unknown): Promise<Response>;
  /** The underlying Hono app, e.g. to mount more handlers. */
  hono: Hono<FreshEnv>;
  /** Hono patterns in match order, for start-up logs and tests. */
  routes: string[];
  /** Island name → bundle URL. */
  islands: Record<string, string>;
}

const importFile = (file: string) => import(pathToFileURL(file).href);
const pageOf = async (file?: string) =>
  file ? (await importFile(file)).default as ComponentType<AnyPageProps> : undefined;

export async function createApp<State extends object = Record<string, unknown>>(
  options: AppOptions<State>,
): Promise<FreshApp> {
  const log = options.log ?? defaultLog;
  const rootDir = resolve(options.rootDir);
  const scanned = await scanRoutes(join(rootDir, "routes"));

  // Islands are registered before any page renders: that is how the server hook knows them.
  const islands: { name: string; file: string }[] = [];
  for (const file of [...await moduleFiles(join(rootDir, "islands")), ...scanned.islandFiles]) {
    const name = basename(file).replace(/\.tsx?$/, "");
    const component = (await importFile(file)).default;
    if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new Error(`${file}: island names are PascalCase`);
    if (typeof component !== "function") throw new Error(`${file}: default-export the island`);
    if (islands.some((i) => i.name === name)) throw new Error(`${file}: a second island ${name}`);
    registerIsland(component, name);
    islands.push({ name, file });
  }
  const bundles = islands.length ? await buildIslands(islands) : null;
  const render = createPageRenderer(await pageOf(scanned.appFile), bundles);
  const notFoundPage = await pageOf(scanned.notFoundFile);
  const errorPage = await pageOf(scanned.errorFile);

  const middlewaresOf = async (files: string[]) => {
    const chains = await Promise.all(files.map(async (file) => {
      const fns = [(await importFile(file)).default].flat();
      if (fns.some((f) => typeof f !== "function")) {
        throw new Error(`${file}: default-export a middleware function (or an array of them)`);
      }
      return fns as Middleware<Record<string, unknown>>[];
    }));
    return chains.flat();
  };

  const baseState = (c: HonoContext<FreshEnv>) => ({
    ...options.state,
    requestId: c.get("requestId"),
    nonce: c.get("secureHeadersNonce"),
  });

  /** Every error ends here: JSON under /api, else the _404/_500 page. Bugs are logged. */
  const handleError = (err: unknown, c: HonoContext<FreshEnv>): Response => {
    const { status, message, headers, details, expected } = toPublicError(
      options.toHttpError?.(err) ?? err,
    );
    const url = new URL(c.req.url);
    const requestId = c.get("requestId");
    if (!expected) log.error("request failed", { requestId, path: url.pathname, error: err });
    if (isApiPath(url.pathname)) {
      const res = Response.json({ ...details, error: message }, { status, headers });
      res.headers.set("Cache-Control", "no-store");
      return res;
    }
    const Page = status === 404 ? notFoundPage : errorPage;
    const data = { status, message };
    try {
      const props = { data, state: c.get("state") ?? baseState(c), url, params: {} };
      if (Page) return render(Page, props, { status, headers });
    } catch (renderErr) {
      log.error("error page failed", { requestId, error: renderErr });
    }
    return new Response(message, { status, headers }); // no error page, or it failed
  };

  const maxBytes = options.bodyLimitBytes ?? 1024 * 1024;
  const hono = new Hono<FreshEnv>({ strict: false });
  hono.use(
    requestId(),
    requestLog({ log, onDone: options.onRequestDone, logPath: options.logPath }),
    securityHeaders({}, options.mediaOrigins),
    compression(),
    csrf(), // a form post from another origin → 403
    async function requestState(c, next) {
      c.set("state", baseState(c));
      await next();
    },
  );
  if (bundles) {
    hono.get(`${BUNDLE_PREFIX}:file`, (c) => {
      c.set("routePattern", `${BUNDLE_PREFIX}:file`);
      const body = bundles.files.get(c.req.param("file"));
      if (!body) throw new HttpError(404);
      return new Response(body as Uint8Array<ArrayBuffer>, {
        headers: {
          "Content-Type": "text/javascript; charset=utf-8",
          "Cache-Control": "public, max-age=31536000, immutable",
        },
      });
    });
  }
  hono.use(serveStaticFiles(await loadStaticFiles(join(rootDir, "static"))));
  for (const route of scanned.routes) {
    const mod = await importFile(route.file) as RouteModule;
    const terminal = routeTerminal(route.file, mod, render);
    // Each route's own body limit (a route export), or the app's; see body_limit.ts.
    const limitBody = routeBodyLimit(route.file, mod.config, maxBytes);
    const chain = await middlewaresOf(route.middlewares);
    hono.all(route.pattern, (c) => {
      c.set("routePattern", route.pattern);
      return limitBody(c, () => runChain(chain, terminal, c));
    });
  }
  // Unmatched URLs still pass the root _middleware (preferences, session) for their 404 page.
  const rootChain = await middlewaresOf(scanned.rootMiddlewares);
  hono.notFound((c) =>
    runChain(rootChain, () => Promise.reject(new HttpError(404)), c).catch((err) =>
      handleError(err, c)
    )
  );
  hono.onError(handleError);

  return {
    // Deno.serve's second argument (connection info) becomes Hono's env, as in hono/deno.
    fetch: async (req, info) => await hono.fetch(req, info as Record<string, unknown>),
    hono,
    routes: scanned.routes.map((r) => r.pattern),
    islands: Object.fromEntries(bundles?.islandUrls ?? []),
  };
}
