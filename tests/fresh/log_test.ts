import assert from "node:assert/strict";
import { createLogger, REDACTED } from "../../lib/log.ts";

Deno.test("one JSON object per line, level and msg first and not overridable", () => {
  const lines: string[] = [];
  const log = createLogger((line) => lines.push(line));
  log.info("request", { status: 200 });
  log.warn("slow", { level: "debug", msg: "spoofed", durationMs: 900 });
  log.error("boom", { error: new Error("bad thing") });
  assert.equal(lines.length, 3);
  const [a, b, c] = lines.map((l) => JSON.parse(l));
  assert.deepEqual(Object.keys(a).slice(0, 2), ["level", "msg"]);
  assert.equal(a.status, 200);
  assert.equal(b.level, "warn");
  assert.equal(b.msg, "slow");
  assert.equal(c.error.message, "bad thing");
  assert.match(c.error.stack, /bad thing/);
  assert.ok(!Number.isNaN(Date.parse(a.time)));
});

Deno.test("tokens, passwords, cookies and OTPs never reach the log", () => {
  const lines: string[] = [];
  createLogger((line) => lines.push(line)).info("sign-in", {
    email: "amina@school.test",
    password: "hunter2",
    otp: "123456",
    headers: { Authorization: "Bearer abc.def.ghi", cookie: "sb=xyz", accept: "text/html" },
    nested: [{ refresh_token: "r-123", accessToken: "a-456", apiKey: "k-789" }],
  });
  const line = lines[0];
  for (const secret of ["hunter2", "123456", "abc.def.ghi", "sb=xyz", "r-123", "a-456", "k-789"]) {
    assert.ok(!line.includes(secret), secret);
  }
  const parsed = JSON.parse(line);
  assert.equal(parsed.email, "amina@school.test");
  assert.equal(parsed.password, REDACTED);
  assert.equal(parsed.headers.accept, "text/html");
  assert.equal(parsed.nested[0].refresh_token, REDACTED);
});
