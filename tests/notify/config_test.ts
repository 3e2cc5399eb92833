/** Notification settings in lib/config.ts: the development mailbox by default, never in production. */
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../lib/config.ts";

const production = {
  APP_ENV: "production",
  DATABASE_URL: "postgres://owner@db.example/school",
  JWT_SECRET: "x".repeat(40),
};

Deno.test("no variables: email and SMS go to the development mailbox", () => {
  assert.deepEqual(loadConfig({}).notify, {
    email: { kind: "dev-mailbox", from: "Elymica <no-reply@elymica.localhost>" },
    sms: { kind: "dev-mailbox" },
  });
});

Deno.test("SMTP_URL and SMS credentials select the real transports", () => {
  const config = loadConfig({
    SMTP_URL: "smtps://mailer:secret@smtp.example:465",
    SMTP_FROM: "Elymica <no-reply@school.example>",
    SMS_USERNAME: "elymica",
    SMS_API_KEY: "atsk_0123456789",
    SMS_SENDER_ID: "ELYMICA",
  });
  assert.deepEqual(config.notify, {
    email: {
      kind: "smtp",
      url: "smtps://mailer:secret@smtp.example:465",
      from: "Elymica <no-reply@school.example>",
    },
    sms: {
      kind: "africastalking",
      url: "https://api.africastalking.com",
      username: "elymica",
      apiKey: "atsk_0123456789",
      senderId: "ELYMICA",
    },
  });
  const sandbox = loadConfig({ SMS_USERNAME: "sandbox", SMS_API_KEY: "atsk_0123456789" });
  assert.equal(
    sandbox.notify.sms.kind === "africastalking" && sandbox.notify.sms.url,
    "https://api.sandbox.africastalking.com",
  );
  const emulator = loadConfig({
    SMS_API_URL: "http://127.0.0.1:8025",
    SMS_USERNAME: "sandbox",
    SMS_API_KEY: "emulator-key",
  });
  assert.equal(
    emulator.notify.sms.kind === "africastalking" && emulator.notify.sms.url,
    "http://127.0.0.1:8025",
  );
});

Deno.test("a wrong or half-set notification variable names itself", () => {
  for (
    const [env, name] of [
      [{ SMTP_URL: "http://smtp.example" }, "SMTP_URL"],
      [{ SMTP_FROM: "Elymica" }, "SMTP_FROM"],
      [{ SMS_API_URL: "ftp://x" }, "SMS_API_URL"],
      [{ SMS_SENDER_ID: "A-VERY-LONG-SENDER" }, "SMS_SENDER_ID"],
      [{ SMS_USERNAME: "elymica" }, "SMS_API_KEY"],
      [{ SMS_API_KEY: "atsk_0123456789" }, "SMS_USERNAME"],
      [{ SMS_API_URL: "http://127.0.0.1:8025" }, "SMS_USERNAME"],
    ] as const
  ) {
    assert.throws(
      () => loadConfig(env),
      (error: Error) => error instanceof ConfigError && error.message.includes(name),
      JSON.stringify(env),
    );
  }
});

Deno.test("production refuses the development mailbox", () => {
  assert.throws(
    () => loadConfig(production),
    (error: Error) =>
      ["SMTP_URL", "SMTP_FROM", "SMS_USERNAME", "SMS_API_KEY"].every((name) =>
        error.message.includes(`${name}: required when APP_ENV=production`)
      ),
  );
  assert.throws(
    () => loadConfig({ ...production, SMTP_URL: "smtp://smtp.example:587" }),
    (error: Error) => !error.message.includes("SMTP_URL") && error.message.includes("SMS_API_KEY"),
  );
  const config = loadConfig({
    ...production,
    SMTP_URL: "smtp://smtp.example:587",
    SMTP_FROM: "no-reply@school.example",
    SMS_USERNAME: "elymica",
    SMS_API_KEY: "atsk_0123456789",
  });
  assert.equal(config.notify.email.kind, "smtp");
  assert.equal(config.notify.sms.kind, "africastalking");
});
