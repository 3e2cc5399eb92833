/**
 * The per-request state every route, page and middleware sees, declared once (Fresh's
 * `define` pattern), so `ctx.state.db` is typed everywhere without casts.
 */
import type { AccessClaims } from "./auth/tokens.ts";
import type { CatalogCache } from "./catalog_cache.ts";
import type { UploadLimits } from "./config.ts";
import type { Db } from "./db/types.ts";
import { createDefine } from "./fresh/mod.ts";
import type { DevMailbox } from "./notify/dev_mailbox.ts";
import type { FileStorage } from "./storage/types.ts";

export interface State {
  /** From X-Request-Id when sane, else generated; echoed in the response and in every log line. */
  requestId: string;
  /** This request's CSP nonce: put it on any inline <script>/<style> a page adds itself. */
  nonce: string;
  /** The reader's "low-data mode" choice (cookie low_data=1), for 3G and prepaid bundles. */
  lowData: boolean;
  db: Db;
  /** Catalog pages kept in memory for as long as their school's catalog version holds. */
  catalog: CatalogCache;
  /** Lesson files and uploads (local disk or Supabase Storage); signs the URLs pages hand out. */
  storage: FileStorage;
  /** The largest lesson files teachers may upload (UPLOAD_PDF_MAX_BYTES, UPLOAD_VIDEO_MAX_BYTES). */
  uploads: UploadLimits;
  /** Signs and verifies access tokens; from JWT_SECRET (or the generated development one). */
  jwtSecret: string;
  /** The password of /metrics; null turns the endpoint off. */
  metricsToken: string | null;
  /** The signed-in person's verified claims (Bearer header or session cookie), else null. */
  session: AccessClaims | null;
  /** The development mailbox, when it stands in for SMTP or SMS (never in production). */
  mailbox?: DevMailbox;
}

export const define = createDefine<State>();
