import assert from "node:assert/strict";
import { DbError, httpFailureFor, toDbError } from "../../lib/db/errors.ts";

const statusOf = (code: string, message = "m") => httpFailureFor(new DbError(message, code)).status;

Deno.test("SQLSTATEs map to HTTP statuses", () => {
  assert.equal(statusOf("23505"), 409);
  assert.equal(statusOf("23503"), 422);
  assert.equal(statusOf("23514"), 422);
  assert.equal(statusOf("22P02"), 400);
  assert.equal(statusOf("42501"), 403);
  assert.equal(statusOf("40001"), 503);
  assert.equal(statusOf("08001"), 503, "connection class");
  assert.equal(statusOf("57P01"), 503, "admin shutdown");
  assert.equal(statusOf("22012"), 500, "anything else is our bug");
});

Deno.test("our own EL codes carry their status and the database's message", () => {
  assert.deepEqual(httpFailureFor(new DbError("This course is full", "EL409")), {
    status: 409,
    message: "This course is full",
  });
  assert.equal(statusOf("EL429"), 429);
  assert.equal(statusOf("EL999"), 500, "an unknown EL status is not trusted");
});

Deno.test("driver errors are normalised; connection failures count as unreachable", () => {
  const refused = toDbError(
    Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
  );
  assert.equal(refused.code, "08006");
  assert.equal(httpFailureFor(refused).status, 503);
  const pgError = toDbError({ message: "dup", code: "23505", constraint_name: "people_email_key" });
  assert.equal(pgError.constraint, "people_email_key");
  assert.equal(toDbError(new Error("no code")).code, "XX000");
});

Deno.test("a known constraint names its field and says what to fix; EL details name fields", () => {
  const duplicate = new DbError("dup", "23505", undefined, "courses_tenant_id_code_key");
  assert.deepEqual(httpFailureFor(duplicate), {
    status: 409,
    field: "code",
    message: "Another course of this school already has this code.",
  });
  const otherDuplicate = new DbError("dup", "23505", undefined, "people_email_key");
  assert.deepEqual(httpFailureFor(otherDuplicate), {
    status: 409,
    message: "That already exists.",
  });
  assert.deepEqual(httpFailureFor(new DbError("2 students…", "EL422", "capacity")), {
    status: 422,
    message: "2 students…",
    field: "capacity",
  });
  assert.equal(
    httpFailureFor(new DbError("Complete X first.", "EL422", '["ALG-1"]')).field,
    undefined,
    "a detail that is data, not a field name, names no field",
  );
});
