/**
 * Errors a handler can throw instead of building error responses by hand, and the one
 * place that decides what a person is told about any error (never a stack trace).
 */
import { HTTPException } from "hono/http-exception";

export class HttpError extends Error {
  readonly status: number;
  /** Extra response headers, e.g. `Allow` on a 405 or `Retry-After` on a 429. */
  readonly headers?: HeadersInit;
  /** Extra fields for API clients' JSON (e.g. `fields` with per-field problems on a 400). */
  readonly details?: Record<string, unknown>;

  constructor(
    status: number,
    message?: string,
    init?: { headers?: HeadersInit; cause?: unknown; details?: Record<string, unknown> },
  ) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be 400-599, got ${status}`);
    }
    super(message ?? defaultMessage(status), { cause: init?.cause });
    this.name = "HttpError";
    this.status = status;
    this.headers = init?.headers;
    this.details = init?.details;
  }
}

const MESSAGES: Record<number, string> = {
  400: "The request could not be understood.",
  401: "Please sign in to continue.",
  403: "You do not have permission to do that.",
  404: "We could not find that page.",
  405: "This address does not accept that kind of request.",
  409: "That conflicts with a change someone else made. Please reload and try again.",
  413: "What you sent is too large.",
  415: "That kind of content is not accepted here.",
  422: "Some of the information sent is not valid.",
  429: "Too many requests. Please wait a moment and try again.",
  500: "Something went wrong on our side. Please try again in a moment.",
  503: "The service is busy or under maintenance. Please try again in a moment.",
};

export function defaultMessage(status: number): string {
  return MESSAGES[status] ?? (status >= 500 ? MESSAGES[500] : MESSAGES[400]);
}

export interface PublicError {
  status: number;
  /** What the response may say. */
  message: string;
  headers?: HeadersInit;
  details?: Record<string, unknown>;
  /** False for bugs and 5xx: those are logged with the request id. */
  expected: boolean;
}

/** Maps anything thrown to what may be shown: 5xx and unknown errors get a generic text. */
export function toPublicError(err: unknown): PublicError {
  if (err instanceof HttpError) {
    const server = err.status >= 500;
    return {
      status: err.status,
      message: server ? defaultMessage(err.status) : err.message,
      headers: err.headers,
      details: server ? undefined : err.details,
      expected: !server,
    };
  }
  // Hono's own middleware (and c.req parsers) throw HTTPException; its text is not user-facing.
  if (err instanceof HTTPException) {
    return { status: err.status, message: defaultMessage(err.status), expected: err.status < 500 };
  }
  return { status: 500, message: defaultMessage(500), expected: false };
}

/** API clients get JSON errors; everything else is a browser and gets a page. */
export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}
