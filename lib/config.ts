/**
 * The one place configuration is read (ARCHITECTURE §8). Every variable is validated here;
 * a wrong value stops start-up with a message naming the variable. Defaults make a fresh
 * clone start with no variables at all.
 */
import { z } from "zod";
import { DEFAULT_UPLOAD_LIMITS } from "./teaching/upload_limits.ts";

const postgresUrl = z.string().refine((value) => {
  try {
    return /^postgres(ql)?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}, "must be a postgres:// URL");

const urlWith = (protocols: RegExp, message: string) =>
  z.string().refine((value) => {
    try {
      const url = new URL(value);
      return protocols.test(url.protocol) && url.hostname !== "";
    } catch {
      return false;
    }
  }, message);

const schema = z.object({
  APP_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_WEB_URL: postgresUrl.optional(),
  DATABASE_JOBS_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATABASE_PREPARED_STATEMENTS: z.enum(["on", "off"]).default("on"),
  DATA_DIR: z.string().min(1).default(".data"),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1).default(1024 * 1024),
  STORAGE_DIR: z.string().min(1).optional(),
  SUPABASE_URL: urlWith(/^https?:$/, "must be an http(s) URL").optional(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20, "must be at least 20 characters").optional(),
  SUPABASE_STORAGE_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, "must be a bucket id")
    .default("lesson-files"),
  UPLOAD_PDF_MAX_BYTES: z.coerce.number().int().min(1024)
    .default(DEFAULT_UPLOAD_LIMITS.pdfMaxBytes),
  UPLOAD_VIDEO_MAX_BYTES: z.coerce.number().int().min(1024)
    .default(DEFAULT_UPLOAD_LIMITS.videoMaxBytes),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  SMTP_URL: urlWith(/^smtps?:$/, "must be an smtp:// or smtps:// URL").optional(),
  SMTP_FROM: z.string().regex(
    /^([^<>\r\n]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/,
    "must be an address or Name <address>",
  ).optional(),
  SMS_API_URL: urlWith(/^https?:$/, "must be an http(s) URL").optional(),
  SMS_USERNAME: z.string().min(1).optional(),
  SMS_API_KEY: z.string().min(8, "must be at least 8 characters").optional(),
  SMS_SENDER_ID: z.string().regex(/^[A-Za-z0-9 ]{1,11}$/, "must be 1–11 letters or digits")
    .optional(),
  VIDEO_TRANSCODE: z.enum(["auto", "on", "off"]).default("auto"),
  FFMPEG_PATH: z.string().min(1).default("ffmpeg"),
  VIDEO_JOB_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
});

/** The variables this module reads, with their meaning: the README's table is built from this. */
export const configVariables: Record<keyof z.infer<typeof schema>, string> = {
  APP_ENV: "development | test | production; production refuses the embedded database",
  PORT: "HTTP port (0 picks a free one)",
  DATABASE_URL:
    "owner connection of a PostgreSQL server or Supabase project; unset → embedded PGlite",
  DATABASE_WEB_URL: "login for people's requests (default: DATABASE_URL as user elymica_web)",
  DATABASE_JOBS_URL: "login for service work (default: DATABASE_URL as user elymica_jobs)",
  DATABASE_POOL_SIZE: "connections per pool on a server",
  DATABASE_PREPARED_STATEMENTS: "on | off; off behind a pooler in transaction mode " +
    "(Supabase's port 6543), which cannot keep prepared statements",
  DATA_DIR: "where the embedded database and local files live",
  BODY_LIMIT_BYTES: "largest request body accepted (413 above it)",
  STORAGE_DIR: "where lesson files are kept on local disk (default: DATA_DIR/storage); " +
    "their signed URLs are keyed from JWT_SECRET",
  SUPABASE_URL: "Supabase project URL; with SUPABASE_SERVICE_ROLE_KEY files go to Supabase Storage",
  SUPABASE_SERVICE_ROLE_KEY: "the project's service_role key (server only: it bypasses RLS)",
  SUPABASE_STORAGE_BUCKET: "the private bucket lesson files go in",
  UPLOAD_PDF_MAX_BYTES: "largest PDF a teacher may upload for a lesson (413 above it)",
  UPLOAD_VIDEO_MAX_BYTES: "largest video a teacher may upload for a lesson (413 above it)",
  JWT_SECRET: "signs access tokens (the Supabase project's JWT secret when deployed); " +
    "unset in development → generated once and kept in DATA_DIR",
  METRICS_TOKEN: "password of /metrics (HTTP basic auth, any user name); unset → /metrics is off",
  SMTP_URL: "email server, smtp://user:pass@host:587 or smtps://…:465; unset → dev mailbox " +
    "(/dev/mailbox), refused in production",
  SMTP_FROM: "sender of emails, e.g. Elymica <no-reply@school.example>",
  SMS_API_URL: "Africa's Talking API (or lib/notify/sms_emulator.ts); default: live API, " +
    "sandbox API when SMS_USERNAME=sandbox",
  SMS_USERNAME: "Africa's Talking username; with SMS_API_KEY turns SMS on, else dev mailbox",
  SMS_API_KEY: "Africa's Talking API key",
  SMS_SENDER_ID: "sender ID or short code SMS come from; unset → the account's default",
  VIDEO_TRANSCODE: "auto: lesson videos get an HLS ladder when ffmpeg is found, else they play " +
    "as MP4 only; on: refuse to start without ffmpeg; off: never transcode",
  FFMPEG_PATH: "the ffmpeg program (ffprobe is looked up beside it)",
  VIDEO_JOB_MINUTES: "longest a transcode may run; then it is stopped and retried later",
};

/** Video for 3G: whether and how lesson videos are transcoded into an HLS ladder. */
export interface VideoConfig {
  transcode: "auto" | "on" | "off";
  ffmpegPath: string;
  jobTimeoutMs: number;
}

/** Where email and SMS go: a real provider, or the in-memory development mailbox. */
export interface NotifyConfig {
  email: { kind: "smtp"; url: string; from: string } | { kind: "dev-mailbox"; from: string };
  sms:
    | { kind: "africastalking"; url: string; username: string; apiKey: string; senderId?: string }
    | { kind: "dev-mailbox" };
}

export const AT_LIVE_URL = "https://api.africastalking.com";
export const AT_SANDBOX_URL = "https://api.sandbox.africastalking.com";
const DEV_FROM = "Elymica <no-reply@elymica.localhost>";

export type DatabaseConfig =
  | { kind: "embedded"; dataDir: string }
  | {
    kind: "postgres";
    ownerUrl: string;
    webUrl: string;
    jobsUrl: string;
    poolSize: number;
    preparedStatements: boolean;
  };

/** The largest lesson files teachers may upload, by kind (checked while they stream in). */
export interface UploadLimits {
  pdfMaxBytes: number;
  videoMaxBytes: number;
}

/** Where lesson files live; signed URLs of local files are keyed from the JWT secret. */
export type StorageConfig =
  | { kind: "local"; dir: string }
  | { kind: "supabase"; url: string; serviceRoleKey: string; bucket: string };

export interface Config {
  env: "development" | "test" | "production";
  port: number;
  dataDir: string;
  bodyLimitBytes: number;
  database: DatabaseConfig;
  storage: StorageConfig;
  uploads: UploadLimits;
  /** Unset only outside production: start-up then uses a generated one kept in dataDir. */
  jwtSecret?: string;
  metricsToken?: string;
  notify: NotifyConfig;
  video: VideoConfig;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** `DATABASE_URL` with its user replaced by one of the bootstrap's logins, password dropped. */
export function withLogin(url: string, user: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = "";
  return parsed.toString();
}

export function loadConfig(env: Record<string, string | undefined> = Deno.env.toObject()): Config {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const present = Object.fromEntries(
    Object.keys(configVariables).map((key) => [key, env[key] === "" ? undefined : env[key]]),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const vars = parsed.data;
  const requiredInProduction = {
    DATABASE_URL: "the embedded database is for development only",
    JWT_SECRET: "a generated development secret must not sign production sessions",
    SMTP_URL: "the development mailbox is for development only",
    SMTP_FROM: "emails need a real sender",
    SMS_USERNAME: "the development mailbox is for development only",
    SMS_API_KEY: "the development mailbox is for development only",
  } as const;
  if (vars.APP_ENV === "production") {
    const missing = Object.entries(requiredInProduction).filter(([name]) =>
      !vars[name as keyof typeof requiredInProduction]
    );
    if (missing.length > 0) {
      throw new ConfigError(
        "Invalid configuration:\n" +
          missing.map(([name, why]) => `  ${name}: required when APP_ENV=production (${why})`)
            .join("\n"),
      );
    }
  }
  // SMS is on with both credentials; one without the other is a mistake worth stopping for.
  const smsMissing = (["SMS_USERNAME", "SMS_API_KEY"] as const).filter((name) => !vars[name]);
  if (smsMissing.length === 1 || (vars.SMS_API_URL && smsMissing.length > 0)) {
    throw new ConfigError(
      "Invalid configuration:\n" +
        smsMissing.map((name) => `  ${name}: required to send SMS (SMS_* is partly set)`)
          .join("\n"),
    );
  }
  const supabaseMissing = (["SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY"] as const).filter((name) =>
    !vars[name]
  );
  if (supabaseMissing.length === 1) {
    throw new ConfigError(
      `Invalid configuration:\n  ${supabaseMissing[0]}: required to use Supabase Storage ` +
        "(SUPABASE_* is partly set)",
    );
  }
  const storage: StorageConfig = vars.SUPABASE_URL && vars.SUPABASE_SERVICE_ROLE_KEY
    ? {
      kind: "supabase",
      url: vars.SUPABASE_URL,
      serviceRoleKey: vars.SUPABASE_SERVICE_ROLE_KEY,
      bucket: vars.SUPABASE_STORAGE_BUCKET,
    }
    : { kind: "local", dir: vars.STORAGE_DIR ?? `${vars.DATA_DIR}/storage` };
  const notify: NotifyConfig = {
    email: vars.SMTP_URL
      ? { kind: "smtp", url: vars.SMTP_URL, from: vars.SMTP_FROM ?? DEV_FROM }
      : { kind: "dev-mailbox", from: vars.SMTP_FROM ?? DEV_FROM },
    sms: vars.SMS_USERNAME && vars.SMS_API_KEY
      ? {
        kind: "africastalking",
        url: vars.SMS_API_URL ??
          (vars.SMS_USERNAME === "sandbox" ? AT_SANDBOX_URL : AT_LIVE_URL),
        username: vars.SMS_USERNAME,
        apiKey: vars.SMS_API_KEY,
        senderId: vars.SMS_SENDER_ID,
      }
      : { kind: "dev-mailbox" },
  };
  const database: DatabaseConfig = vars.DATABASE_URL
    ? {
      kind: "postgres",
      ownerUrl: vars.DATABASE_URL,
      webUrl: vars.DATABASE_WEB_URL ?? withLogin(vars.DATABASE_URL, "elymica_web"),
      jobsUrl: vars.DATABASE_JOBS_URL ?? withLogin(vars.DATABASE_URL, "elymica_jobs"),
      poolSize: vars.DATABASE_POOL_SIZE,
      preparedStatements: vars.DATABASE_PREPARED_STATEMENTS === "on",
    }
    : { kind: "embedded", dataDir: `${vars.DATA_DIR}/pgdata` };
  return {
    env: vars.APP_ENV,
    port: vars.PORT,
    dataDir: vars.DATA_DIR,
    bodyLimitBytes: vars.BODY_LIMIT_BYTES,
    database,
    storage,
    uploads: { pdfMaxBytes: vars.UPLOAD_PDF_MAX_BYTES, videoMaxBytes: vars.UPLOAD_VIDEO_MAX_BYTES },
    jwtSecret: vars.JWT_SECRET,
    metricsToken: vars.METRICS_TOKEN,
    notify,
    video: {
      transcode: vars.VIDEO_TRANSCODE,
      ffmpegPath: vars.FFMPEG_PATH,
      jobTimeoutMs: vars.VIDEO_JOB_MINUTES * 60_000,
    },
  };
}
