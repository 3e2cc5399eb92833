import { HttpError } from "../../lib/fresh/mod.ts";
import { lowDataCookie } from "../../lib/low_data.ts";
import { define } from "../../lib/state.ts";
import { sameSitePath } from "../../lib/http/redirects.ts";

/**
 * POST enabled=1|0 sets the low-data cookie. A plain form post (no JavaScript) is redirected
 * back to the page it came from; the island asks for JSON and gets `{ lowData }`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const form = await ctx.req.formData().catch(() => null);
    const enabled = form?.get("enabled");
    if (enabled !== "1" && enabled !== "0") {
      throw new HttpError(400, "Low-data mode can only be turned on (1) or off (0).");
    }
    const lowData = enabled === "1";
    const secure = ctx.url.protocol === "https:" ||
      ctx.req.headers.get("X-Forwarded-Proto") === "https";
    const headers = new Headers({
      "Set-Cookie": lowDataCookie(lowData, secure),
      "Cache-Control": "no-store",
    });
    if (ctx.req.headers.get("Accept")?.includes("application/json")) {
      return Response.json({ lowData }, { headers });
    }
    headers.set("Location", sameSitePath(ctx.req.headers.get("Referer"), ctx.url));
    return new Response(null, { status: 303, headers });
  },
});
