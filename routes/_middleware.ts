import { getConnInfo } from "hono/deno";
import { tenantContext } from "../lib/auth/middleware.ts";
import { readLowData } from "../lib/low_data.ts";
import { define } from "../lib/state.ts";

/** Runs for every page and API call (and for unmatched URLs, so the 404 page knows too). */
const lowDataPreference = define.middleware((ctx) => {
  ctx.state.lowData = readLowData(ctx.req.headers.get("Cookie"));
  return ctx.next();
});

/**
 * Every transaction this request makes carries its id, address and user agent, so the audit
 * log can say which request changed what. The address is the TCP peer's: behind a proxy it is
 * the proxy's until a trusted-proxy setting exists (deliberately: X-Forwarded-For is forgeable).
 */
const requestContext = define.middleware((ctx) => {
  // Absent only in web-layer tests that build the app without a database.
  if (ctx.state.db) {
    ctx.state.db = ctx.state.db.withContext({
      requestId: ctx.state.requestId,
      ip: peerAddress(ctx.hono),
      userAgent: ctx.req.headers.get("User-Agent")?.slice(0, 512),
      publicUrl: ctx.url.origin,
    });
  }
  return ctx.next();
});

function peerAddress(hono: Parameters<typeof getConnInfo>[0]): string | undefined {
  try {
    return getConnInfo(hono).remote.address;
  } catch {
    return undefined; // not served by Deno.serve (e.g. app.fetch in tests)
  }
}

// The tenant context comes after the request context: a silent refresh is audited with it.
export default [lowDataPreference, requestContext, tenantContext];
