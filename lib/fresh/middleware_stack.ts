/**
 * The app-wide Hono middleware, outermost first in `createApp`. Each is a named function
 * taking options merged over defaults, so a test or main.ts can tune one without the rest.
 */
import type { MiddlewareHandler } from "hono";
import { gzipSync } from "node:zlib";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { Logger } from "../log.ts";

/** Hono variables the layer sets; `secureHeadersNonce` is Hono's own name for the CSP nonce. */
export type FreshEnv = {
  Variables: {
    requestId: string;
    /** The matched route's pattern (e.g. `/courses/:courseId`), for logs and metrics. */
    routePattern?: string;
    secureHeadersNonce?: string;
    state: Record<string, unknown>;
  };
};

export interface RequestIdOptions {
  header: string;
  /** Accept the caller's id only if it matches (proxies pass theirs on; junk is replaced). */
  accept: RegExp;
  generate: () => string;
}

const REQUEST_ID_DEFAULTS: RequestIdOptions = {
  header: "X-Request-Id",
  accept: /^[A-Za-z0-9._:-]{1,128}$/,
  generate: () => crypto.randomUUID(),
};

export function requestId(options: Partial<RequestIdOptions> = {}): MiddlewareHandler<FreshEnv> {
  const o = { ...REQUEST_ID_DEFAULTS, ...options };
  return async function requestId(c, next) {
    const given = c.req.header(o.header);
    const id = given && o.accept.test(given) ? given : o.generate();
    c.set("requestId", id);
    await next();
    c.res.headers.set(o.header, id);
  };
}

/** What is known of a request once it is answered: for metrics. */
export interface RequestDone {
  method: string;
  /** The route pattern, or "static", "bundle", "unmatched": never the raw path (cardinality). */
  route: string;
  status: number;
  durationMs: number;
}

/** Exactly one `request` line per request, whatever happened inside. */
export function requestLog(
  options: {
    log: Logger;
    onDone?: (done: RequestDone) => void;
    /** Masks parts of the path that must not reach logs (e.g. signed-URL tokens). */
    logPath?: (pathname: string) => string;
  },
): MiddlewareHandler<FreshEnv> {
  return async function requestLog(c, next) {
    const started = performance.now();
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      const route = c.get("routePattern") ?? "unmatched";
      options.log.info("request", {
        method: c.req.method,
        // The path only: query strings can carry tokens (password-reset and sign-in links).
        path: (options.logPath ?? String)(new URL(c.req.url).pathname),
        route,
        status,
        durationMs,
        requestId: c.get("requestId"),
      });
      options.onDone?.({ method: c.req.method, route, status, durationMs });
    }
  };
}

/**
 * Hono's secureHeaders with a nonce-based CSP: only scripts and styles carrying this
 * request's nonce run, so injected markup cannot execute. The Referer is kept for our own
 * origin only: the no-JavaScript form posts redirect back to the page they came from. A header
 * a route set itself is kept (`overwrite: false`): the file route lets our pages frame PDFs.
 */
export function securityHeaders(
  options: Parameters<typeof secureHeaders>[0] = {},
  /** Other origins pages may play media from and frame (signed file URLs of a file store). */
  mediaOrigins: string[] = [],
): MiddlewareHandler<FreshEnv> {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      // blob: is what a Media Source (hls.js) plays from; only our nonce'd scripts make one.
      mediaSrc: ["'self'", ...mediaOrigins, "blob:"],
      frameSrc: ["'self'", ...mediaOrigins],
      scriptSrc: [NONCE],
      styleSrc: [NONCE],
      imgSrc: ["'self'", "data:"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
    referrerPolicy: "same-origin",
    xFrameOptions: "DENY",
    overwrite: false,
    ...options,
  });
}

export interface CompressionOptions {
  /** Bodies smaller than this are sent as they are: gzip would not make them smaller. */
  minBytes: number;
  /** Bodies larger than this (by Content-Length) are streamed as they are, never buffered. */
  maxBytes: number;
}

const COMPRESSION_DEFAULTS: CompressionOptions = { minBytes: 1024, maxBytes: 8 * 1024 * 1024 };
const COMPRESSIBLE = /^(text\/(?!event-stream)|application\/(json|javascript|xml)|image\/svg)/;

/** Whether the client takes gzip (its Accept-Encoding names it). */
const takesGzip = (req: Request) => /\bgzip\b/.test(req.headers.get("Accept-Encoding") ?? "");

/** Where the gzip of an answer sent again and again is kept once made (a kept catalog page). */
export interface GzipMemo {
  gzip?: Uint8Array<ArrayBuffer>;
}

/**
 * A text answer sent again and again: what `compression()` would send, with its gzip made once
 * and kept in `memo` (made only when a client that takes gzip asks and the text is worth it);
 * `compression()` leaves an answer with a Content-Encoding alone.
 */
export function precompressed(
  req: Request,
  text: string,
  memo: GzipMemo,
  headers: Record<string, string>,
): Response {
  const vary = { ...headers, Vary: "Accept-Encoding" };
  if (!takesGzip(req) || text.length < COMPRESSION_DEFAULTS.minBytes) {
    return new Response(text, { headers: vary });
  }
  memo.gzip ??= gzipSync(text) as Uint8Array<ArrayBuffer>;
  return new Response(memo.gzip, { headers: { ...vary, "Content-Encoding": "gzip" } });
}

/**
 * gzip for text responses, with node:zlib in one call: for the few-KB pages this app sends it
 * is about three times faster than the CompressionStream behind Hono's `compress()`, and it
 * knows the body's size, so tiny JSON answers are not inflated by gzip's header.
 */
export function compression(
  options: Partial<CompressionOptions> = {},
): MiddlewareHandler<FreshEnv> {
  const o = { ...COMPRESSION_DEFAULTS, ...options };
  return async function compression(c, next) {
    await next();
    const res = c.res;
    const declared = Number(res.headers.get("Content-Length") ?? 0);
    if (
      c.req.method === "HEAD" || !res.body || res.headers.has("Content-Encoding") ||
      !COMPRESSIBLE.test(res.headers.get("Content-Type") ?? "") || declared > o.maxBytes
    ) return;
    // Whether or not this client gets gzip, a cache must keep the two versions apart.
    res.headers.append("Vary", "Accept-Encoding");
    if (!takesGzip(c.req.raw)) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    let sent = body;
    if (body.byteLength >= o.minBytes) {
      sent = gzipSync(body) as Uint8Array<ArrayBuffer>;
      headers.set("Content-Encoding", "gzip");
    }
    headers.set("Content-Length", String(sent.byteLength));
    c.res = new Response(sent, { status: res.status, statusText: res.statusText, headers });
  };
}
