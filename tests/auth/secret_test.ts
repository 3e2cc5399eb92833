import assert from "node:assert/strict";
import { loadConfig } from "../../lib/config.ts";
import { resolveJwtSecret } from "../../lib/auth/secret.ts";

Deno.test("without JWT_SECRET a secret is generated once and kept in DATA_DIR", async () => {
  const dir = await Deno.makeTempDir({ prefix: "elymica-secret-" });
  try {
    const config = loadConfig({ DATA_DIR: dir });
    const first = await resolveJwtSecret(config);
    assert.ok(first.length >= 60);
    assert.equal(await resolveJwtSecret(config), first, "the same secret after a restart");
    assert.equal((await Deno.stat(`${dir}/jwt-secret`)).mode! & 0o777, 0o600);
    const given = "a-configured-secret-of-at-least-32-characters";
    assert.equal(await resolveJwtSecret(loadConfig({ DATA_DIR: dir, JWT_SECRET: given })), given);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
