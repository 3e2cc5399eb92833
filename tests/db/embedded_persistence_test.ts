/** The embedded database on disk: data survives a restart; two processes never share it. */
import assert from "node:assert/strict";
import { openDatabase, prepareDatabase } from "../../lib/db/mod.ts";

Deno.test("embedded data persists across reopen, and a second opener is refused while it is open", async () => {
  const dir = await Deno.makeTempDir({ prefix: "elymica-embedded-" });
  const config = { kind: "embedded" as const, dataDir: `${dir}/pgdata` };
  try {
    const first = await openDatabase(config);
    const firstRun = await prepareDatabase(first.owner);
    assert.equal(firstRun.applied.length, firstRun.total);
    await assert.rejects(openDatabase(config), /Another Elymica process is using/);
    await first.db.close();

    const second = await openDatabase(config);
    try {
      assert.deepEqual(await prepareDatabase(second.owner), { applied: [], total: firstRun.total });
    } finally {
      await second.db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
