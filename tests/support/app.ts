/** The real app over a test database, for integration tests. */
import { createElymicaApp } from "../../lib/app.ts";
import type { Db } from "../../lib/db/types.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";
import { createLocalStorage, type ServingStorage } from "../../lib/storage/mod.ts";
import { deriveSigningKey } from "../../lib/storage/signing.ts";
import { openTestDatabase, type TestDatabase } from "./database.ts";

export const testJwtSecret = "tests-only-secret-0123456789-abcdefghijklmnop";

export function quietLog(lines: string[] = []) {
  const sink = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push(JSON.stringify({ level, msg, ...fields }));
  return { info: sink("info"), warn: sink("warn"), error: sink("error") };
}

export interface TestStorage {
  storage: ServingStorage;
  dir: string;
  /** Moves the storage's clock (milliseconds): signed URLs expire without sleeping. */
  advance(ms: number): void;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Local-disk storage in a temp folder, signed with the tests' JWT secret; `await using` it. */
export async function openTestStorage(): Promise<TestStorage> {
  const dir = await Deno.makeTempDir({ prefix: "elymica-storage-" });
  let offset = 0;
  const storage = createLocalStorage({
    root: dir,
    signingKey: await deriveSigningKey(testJwtSecret),
    now: () => Date.now() + offset,
  });
  return {
    storage,
    dir,
    advance: (ms) => void (offset += ms),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

export function testApp(
  db: Db,
  options: { log?: ReturnType<typeof quietLog>; storage?: ServingStorage } = {},
) {
  return createElymicaApp({
    db,
    storage: options.storage,
    jwtSecret: testJwtSecret,
    log: options.log ?? quietLog(),
  });
}

/** A request to the app as a browser on localhost would send it. */
export function call(app: FreshApp, path: string, init: RequestInit = {}): Promise<Response> {
  return app.fetch(new Request(new URL(path, "http://localhost"), init));
}

/** The app over a fresh database with the demo schools and a temp-dir storage, closed afterwards. */
export async function withSeededApp(
  fn: (app: FreshApp, t: TestDatabase, files: TestStorage) => Promise<void>,
): Promise<void> {
  const t = await openTestDatabase({ seed: true });
  try {
    await using files = await openTestStorage();
    await fn(await testApp(t.db, { storage: files.storage }), t, files);
  } finally {
    await t.close();
  }
}
