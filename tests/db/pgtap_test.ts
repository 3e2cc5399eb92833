/**
 * The pgTAP suite (`supabase/tests/database/*.test.sql`) against a fresh migrated database:
 * embedded PGlite, or a throwaway database on the server in DATABASE_URL. `.ci/run` also runs
 * the same files through `pg_prove` on the server.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openTestDatabase } from "../support/database.ts";
import { summariseTap, tapLines } from "../support/tap.ts";

const testsDir = fileURLToPath(new URL("../../supabase/tests", import.meta.url));
const suiteDir = join(testsDir, "database");

const files = [...Deno.readDirSync(suiteDir)]
  .filter((entry) => entry.isFile && entry.name.endsWith(".sql"))
  .map((entry) => entry.name)
  .sort();

Deno.test("the pgTAP suite passes", async (t) => {
  assert.ok(files.length > 0, `no pgTAP files in ${suiteDir}`);
  const database = await openTestDatabase({ pgtap: true });
  try {
    await database.owner.exec(await Deno.readTextFile(join(testsDir, "helpers.sql")));
    for (const file of files) {
      await t.step(file, async () => {
        const sql = await Deno.readTextFile(join(suiteDir, file));
        let results;
        try {
          results = await database.owner.exec(sql);
        } catch (error) {
          // A file that dies mid-way leaves its transaction open: close it for the next file.
          await database.owner.exec("rollback");
          throw new Error(`${file} stopped with an error: ${(error as Error).message}`);
        }
        const summary = summariseTap(tapLines(results));
        if (summary.failures.length > 0) console.error(summary.lines.join("\n"));
        assert.deepEqual(summary.failures, [], `${file}: ${summary.failures.length} failures`);
      });
    }
  } finally {
    await database.close();
  }
});
