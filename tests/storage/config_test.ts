import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../lib/config.ts";

Deno.test("storage config: local disk under DATA_DIR by default, STORAGE_DIR moves it", () => {
  assert.deepEqual(loadConfig({}).storage, { kind: "local", dir: ".data/storage" });
  assert.deepEqual(loadConfig({ DATA_DIR: "/srv/e" }).storage, {
    kind: "local",
    dir: "/srv/e/storage",
  });
  assert.deepEqual(loadConfig({ STORAGE_DIR: "/mnt/files" }).storage, {
    kind: "local",
    dir: "/mnt/files",
  });
});

Deno.test("storage config: Supabase with URL and service key, bucket defaulted", () => {
  const config = loadConfig({
    SUPABASE_URL: "https://abcd.supabase.co",
    SUPABASE_SERVICE_ROLE_KEY: "service-role-key-0123456789",
  });
  assert.deepEqual(config.storage, {
    kind: "supabase",
    url: "https://abcd.supabase.co",
    serviceRoleKey: "service-role-key-0123456789",
    bucket: "lesson-files",
  });
});

Deno.test("storage config: half a Supabase configuration or a bad bucket stops start-up", () => {
  assert.throws(
    () => loadConfig({ SUPABASE_URL: "https://abcd.supabase.co" }),
    (e: unknown) =>
      e instanceof ConfigError && /SUPABASE_SERVICE_ROLE_KEY: required/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ SUPABASE_STORAGE_BUCKET: "Bad Bucket!" }),
    (e: unknown) =>
      e instanceof ConfigError && /SUPABASE_STORAGE_BUCKET: must be a bucket id/.test(e.message),
  );
});
