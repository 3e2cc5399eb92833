/** `/api/health` through the real app: ok, 503 when the database goes away, ok when it returns. */
import assert from "node:assert/strict";
import { createElymicaApp } from "../lib/app.ts";
import { openServer } from "../lib/db/server.ts";
import { withLogin } from "../lib/config.ts";
import { readMigrations } from "../lib/db/migrate.ts";
import type { Db } from "../lib/db/types.ts";
import { openTestDatabase, testKind } from "./support/database.ts";
import { testJwtSecret } from "./support/app.ts";
import { startTcpProxy } from "./support/tcp_proxy.ts";

const migrationFiles = (await readMigrations()).length;
const quiet = { info() {}, warn() {}, error() {} };

async function health(db: Db) {
  const app = await createElymicaApp({ db, jwtSecret: testJwtSecret, log: quiet });
  const response = await app.fetch(new Request("http://localhost/api/health"));
  return { status: response.status, body: await response.json() };
}

Deno.test("health reports the database kind and every migration applied", async () => {
  const t = await openTestDatabase();
  try {
    assert.deepEqual(await health(t.db), {
      status: 200,
      body: { status: "ok", db: testKind, migrations: migrationFiles },
    });
  } finally {
    await t.close();
  }
});

Deno.test({
  name: "health answers 503 while the server is unreachable and recovers when it returns",
  ignore: testKind !== "postgres",
  async fn() {
    const t = await openTestDatabase();
    const server = new URL(t.url!);
    const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const viaProxy = new URL(t.url!);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const db = openServer({
      webUrl: withLogin(viaProxy.toString(), "elymica_web"),
      jobsUrl: withLogin(viaProxy.toString(), "elymica_jobs"),
      poolSize: 2,
    });
    try {
      assert.equal((await health(db)).status, 200);
      await proxy.cut();
      const down = await health(db);
      assert.equal(down.status, 503);
      assert.equal(down.body.status, "unavailable");
      assert.match(down.body.reason, /database/i);
      await proxy.restore();
      assert.deepEqual(await health(db), {
        status: 200,
        body: { status: "ok", db: "postgres", migrations: migrationFiles },
      });
    } finally {
      await proxy.close();
      await db.close();
      await t.close();
    }
  },
});

Deno.test({
  name: "health answers 503 when the embedded database has been closed",
  ignore: testKind !== "embedded",
  async fn() {
    const t = await openTestDatabase();
    await t.close();
    const down = await health(t.db);
    assert.equal(down.status, 503);
    assert.equal(down.body.status, "unavailable");
  },
});
