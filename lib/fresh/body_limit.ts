/**
 * Request body limits. Every route gets the app's limit (default 1 MiB; Hono's bodyLimit, which
 * answers 413 before the route runs). A route that takes large uploads exports its own:
 *
 *   export const config: RouteConfig = { bodyLimitBytes: 500 * 1024 * 1024 };
 *   // or sized per request, e.g. by a query parameter or the app's configured limits:
 *   export const config: RouteConfig<State> = { bodyLimitBytes: ({ url, state }) => … };
 *
 * Such a body is never buffered: a declared Content-Length over the limit is refused at once,
 * and a body without one is counted as the route reads it — past the limit the stream fails
 * with the same 413 HttpError, which the route lets propagate.
 */
import type { Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HttpError } from "./http_error.ts";
import type { FreshEnv } from "./middleware_stack.ts";

export interface RouteConfig<State = unknown> {
  /** Largest request body this route accepts, instead of the app's `bodyLimitBytes`. */
  bodyLimitBytes?: number | ((request: { url: URL; state: State }) => number);
}

type Run = () => Promise<Response>;
export type LimitBody = (c: HonoContext<FreshEnv>, run: Run) => Promise<Response>;

export function tooLarge(maxBytes: number): HttpError {
  const limit = maxBytes >= 1024 * 1024
    ? `${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MB`
    : `${Math.ceil(maxBytes / 1024)} KB`;
  return new HttpError(413, `What you sent is too large (the limit is ${limit}).`);
}

/** The limit `file`'s route runs under; a bad `config` stops start-up. */
export function routeBodyLimit(
  file: string,
  config: RouteConfig | undefined,
  appMaxBytes: number,
): LimitBody {
  const own = config?.bodyLimitBytes;
  if (own === undefined) {
    const limit = bodyLimit({
      maxSize: appMaxBytes,
      onError: () => Promise.reject(tooLarge(appMaxBytes)),
    });
    return async (c, run) => {
      let response: Response | undefined;
      await limit(c, async () => void (response = await run()));
      return response!;
    };
  }
  if (typeof own !== "function" && !(Number.isInteger(own) && own > 0)) {
    throw new Error(`${file}: config.bodyLimitBytes must be a positive whole number or a function`);
  }
  return (c, run) => {
    const maxBytes = typeof own === "function"
      ? own({ url: new URL(c.req.url), state: c.get("state") })
      : own;
    c.req.raw = limitStream(c.req.raw, maxBytes);
    return run();
  };
}

function limitStream(req: Request, maxBytes: number): Request {
  if (!req.body) return req;
  const declared = req.headers.get("Content-Length");
  if (declared !== null && !req.headers.has("Transfer-Encoding")) {
    // The server delivers exactly the declared length, so checking it is enough.
    if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
    return req;
  }
  let seen = 0;
  const counted = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(tooLarge(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(req, { body: counted, duplex: "half" } as RequestInit);
}
