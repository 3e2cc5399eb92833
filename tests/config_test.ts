import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../lib/config.ts";

Deno.test("no variables at all: embedded database under .data, port 8000", () => {
  const config = loadConfig({});
  assert.equal(config.port, 8000);
  assert.equal(config.env, "development");
  assert.deepEqual(config.database, { kind: "embedded", dataDir: ".data/pgdata" });
});

Deno.test("DATABASE_URL selects the server, with the two logins derived from it", () => {
  const config = loadConfig({ DATABASE_URL: "postgres://owner:secret@db.example:5432/school" });
  assert.deepEqual(config.database, {
    kind: "postgres",
    ownerUrl: "postgres://owner:secret@db.example:5432/school",
    webUrl: "postgres://elymica_web@db.example:5432/school",
    jobsUrl: "postgres://elymica_jobs@db.example:5432/school",
    poolSize: 10,
    preparedStatements: true,
  });
});

Deno.test("a wrong value stops start-up with a message naming the variable", () => {
  for (
    const [name, value] of [
      ["PORT", "eighty"],
      ["PORT", "70000"],
      ["DATABASE_URL", "mysql://localhost/db"],
      ["DATABASE_URL", "not a url"],
      ["APP_ENV", "staging"],
      ["BODY_LIMIT_BYTES", "-1"],
    ]
  ) {
    assert.throws(
      () => loadConfig({ [name]: value }),
      (error: Error) => error instanceof ConfigError && error.message.includes(name),
      `${name}=${value}`,
    );
  }
});

Deno.test("production refuses the embedded database and a generated JWT secret", () => {
  assert.throws(() => loadConfig({ APP_ENV: "production" }), /DATABASE_URL[\s\S]*JWT_SECRET/);
  assert.throws(
    () => loadConfig({ APP_ENV: "production", DATABASE_URL: "postgres://db/x" }),
    (error: Error) =>
      error.message.includes("JWT_SECRET") && !error.message.includes("DATABASE_URL"),
  );
  assert.throws(() => loadConfig({ JWT_SECRET: "short" }), /JWT_SECRET: must be at least 32/);
});

Deno.test("an empty variable counts as unset", () => {
  assert.equal(loadConfig({ PORT: "" }).port, 8000);
});
