/** The real app over a test database, for integration tests. */
import { createElymicaApp } from "../../lib/app.ts";
import type { Db } from "../../lib/db/types.ts";
import type { FreshApp } from "../../lib/fresh/mod.ts";
import { openTestDatabase, type TestDatabase } from "./database.ts";

export const testJwtSecret = "tests-only-secret-0123456789-abcdefghijklmnop";

export function quietLog(lines: string[] = []) {
  const sink = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push(JSON.stringify({ level, msg, ...fields }));
  return { info: sink("info"), warn: sink("warn"), error: sink("error") };
}

export function testApp(db: Db, options: { log?: ReturnType<typeof quietLog> } = {}) {
  return createElymicaApp({ db, jwtSecret: testJwtSecret, log: options.log ?? quietLog() });
}

/** A request to the app as a browser on localhost would send it. */
export function call(app: FreshApp, path: string, init: RequestInit = {}): Promise<Response> {
  return app.fetch(new Request(new URL(path, "http://localhost"), init));
}

/** The app over a fresh database with the demo schools, closed afterwards. */
export async function withSeededApp(
  fn: (app: FreshApp, t: TestDatabase) => Promise<void>,
): Promise<void> {
  const t = await openTestDatabase({ seed: true });
  try {
    await fn(await testApp(t.db), t);
  } finally {
    await t.close();
  }
}
