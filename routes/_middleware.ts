import { readLowData } from "../lib/low_data.ts";
import { define } from "../lib/state.ts";

/** Runs for every page and API call (and for unmatched URLs, so the 404 page knows too). */
export default define.middleware(function lowDataPreference(ctx) {
  ctx.state.lowData = readLowData(ctx.req.headers.get("Cookie"));
  return ctx.next();
});
