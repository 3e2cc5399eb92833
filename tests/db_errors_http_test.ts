/** Database errors that a handler lets propagate reach people as the right status and words. */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { createElymicaApp } from "../lib/app.ts";
import { openTestDatabase } from "./support/database.ts";
import { testJwtSecret } from "./support/app.ts";

const rootDir = fileURLToPath(new URL("./fixtures/dberrors", import.meta.url));

Deno.test("database errors map to HTTP statuses with messages, never SQL or stack traces", async () => {
  const t = await openTestDatabase();
  const logged: string[] = [];
  const log = {
    info() {},
    warn() {},
    error: (msg: string) => void logged.push(msg),
  };
  try {
    const app = await createElymicaApp({ db: t.db, jwtSecret: testJwtSecret, rootDir, log });
    const answer = async (kind: string) => {
      const response = await app.fetch(new Request(`http://localhost/api/fail/${kind}`));
      return { status: response.status, body: await response.json() };
    };
    assert.deepEqual(await answer("full"), { status: 409, body: { error: "This course is full" } });
    assert.deepEqual(await answer("denied"), {
      status: 403,
      body: { error: "You do not have permission to do that." },
    });
    assert.deepEqual(await answer("number"), {
      status: 400,
      body: { error: "A value has the wrong format." },
    });
    const unknown = await answer("unexpected"); // division by zero: not in the table
    assert.equal(unknown.status, 500);
    assert.doesNotMatch(JSON.stringify(unknown.body), /division|select|\.ts:/i);
    assert.deepEqual(logged, ["request failed"], "only the unexpected error is logged as one");
    assert.deepEqual(await answer("fine"), { status: 200, body: { ok: true } });
  } finally {
    await t.close();
  }
});
