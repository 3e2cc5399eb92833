import { define, type State } from "../../lib/state.ts";
import { type Context, HttpError } from "../../lib/fresh/mod.ts";
import type { ServingStorage } from "../../lib/storage/mod.ts";
import { FILES_ROUTE } from "../../lib/storage/signing.ts";

/**
 * The local backend's signed file URLs (`lib/storage/signing.ts`): GET and HEAD with byte
 * ranges; 403 for an expired or tampered link. The signature is the permission: no session is
 * needed, so a video player or PDF viewer fetching ranges on its own works too.
 */
function serve(ctx: Context<State>): Promise<Response> {
  const storage = ctx.state.storage as Partial<ServingStorage>;
  // With Supabase Storage configured, signed URLs point there and nothing is served here.
  if (typeof storage.serve !== "function") throw new HttpError(404, "No such file.");
  const rest = ctx.url.pathname.slice(FILES_ROUTE.length + 1);
  return storage.serve(ctx.req, rest, ctx.url.searchParams);
}

export const handler = define.handlers({ GET: serve, HEAD: serve });
