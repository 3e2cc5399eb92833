/**
 * `deno task start`: read the configuration, bring the database up to date (seeding an empty
 * embedded one with the demo schools), build the islands, serve, and start the outbox worker
 * that sends email and SMS and — when ffmpeg is installed — the video worker that turns lesson
 * MP4s into HLS ladders for 3G.
 */
import { type Config, ConfigError, loadConfig } from "./lib/config.ts";
import { openDatabase, prepareDatabase } from "./lib/db/mod.ts";
import { seedIfEmpty } from "./lib/db/seed.ts";
import { seedDemoMedia } from "./lib/demo_media/mod.ts";
import { createElymicaApp } from "./lib/app.ts";
import { resolveJwtSecret } from "./lib/auth/secret.ts";
import { demoSignInsText } from "./lib/demo.ts";
import { log } from "./lib/log.ts";
import { createStorage } from "./lib/storage/mod.ts";
import {
  createNotifications,
  type Notifications,
  type OutboxWorker,
  startOutboxWorker,
} from "./lib/notify/mod.ts";
import { startVideoTranscoding, type VideoWorker } from "./lib/video/mod.ts";

export async function start(config: Config): Promise<{ url: string; stop(): Promise<void> }> {
  const { db, owner } = await openDatabase(config.database);
  let server: Deno.HttpServer | undefined;
  let notifications: Notifications | undefined;
  let worker: OutboxWorker | undefined;
  let videoWorker: VideoWorker | null = null;
  try {
    const migrations = await prepareDatabase(owner);
    const jwtSecret = await resolveJwtSecret(config);
    const storage = await createStorage(config.storage, jwtSecret);
    const seeded = config.database.kind === "embedded" && await seedIfEmpty(owner);
    // The demo lessons' files go with the demo data: every demo video and PDF lesson opens.
    const demoFiles = seeded ? await seedDemoMedia(owner, storage) : 0;
    await owner.close();
    log.info("database ready", {
      db: db.kind,
      migrations: migrations.total,
      newlyApplied: migrations.applied,
      seeded,
      demoFiles,
    });
    notifications = createNotifications(config.notify, log);
    const app = await createElymicaApp({
      db,
      storage,
      jwtSecret,
      metricsToken: config.metricsToken,
      bodyLimitBytes: config.bodyLimitBytes,
      uploads: config.uploads,
      mailbox: notifications.mailbox,
    });
    server = Deno.serve({ port: config.port, hostname: "0.0.0.0", onListen: () => {} }, app.fetch);
    worker = startOutboxWorker({ db, transports: notifications.transports, log });
    // Queued by the lessons trigger (the demo videos too); works in the background.
    videoWorker = await startVideoTranscoding(config.video, { db, storage, log });
  } catch (error) {
    await server?.shutdown();
    await worker?.stop();
    await notifications?.close();
    await db.close();
    throw error;
  }
  const url = `http://localhost:${(server.addr as Deno.NetAddr).port}/`;
  return {
    url,
    async stop() {
      await server.shutdown();
      await videoWorker?.stop();
      await worker.stop();
      await notifications.close();
      await db.close();
    },
  };
}

if (import.meta.main) {
  try {
    const config = loadConfig();
    const running = await start(config);
    console.log(`\nElymica is running at ${running.url}\n\n${demoSignInsText()}\n`);
    const stop = async () => {
      await running.stop();
      Deno.exit(0);
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  } catch (error) {
    // Configuration and migration errors are written for people: show them without a trace.
    const message = error instanceof ConfigError ? error.message : (error as Error).message;
    console.error(`Elymica could not start.\n${message}`);
    Deno.exit(1);
  }
}
