/** The transports and the masking on their own: no database. */
import assert from "node:assert/strict";
import { maskEmail, maskPhone, scrub } from "../../lib/notify/mask.ts";
import { DevMailbox } from "../../lib/notify/dev_mailbox.ts";
import { messagingEndpoint, smsTransport } from "../../lib/notify/sms.ts";
import { startSmsEmulator } from "../../lib/notify/sms_emulator.ts";
import { smtpTransport } from "../../lib/notify/smtp.ts";
import { DeliveryError, type OutgoingMessage } from "../../lib/notify/types.ts";
import { startSmtpServer } from "./smtp_server.ts";

const sms = (to: string, body = "Hello"): OutgoingMessage => ({
  id: "7",
  tenantId: null,
  channel: "sms",
  to,
  subject: null,
  body,
});

Deno.test("phone numbers and addresses are masked for logs", () => {
  assert.equal(maskPhone("+254712345678"), "+2547••••678");
  assert.equal(maskPhone("+2348031234567"), "+2348••••567");
  assert.equal(maskPhone("254712345678"), "2547••••678");
  assert.equal(maskPhone("+2547"), "••••47");
  assert.equal(maskEmail("parent.one@school.test"), "p••••@school.test");
  assert.equal(maskEmail("nonsense"), "••••");
  assert.equal(
    scrub("550 <amina@school.test>: no mailbox; call +254 712 345 678 about 123456", ["123456"]),
    "550 <a••••@school.test>: no mailbox; call +2547••••678 about [redacted]",
  );
  assert.equal(scrub("ECONNREFUSED 127.0.0.1:2525"), "ECONNREFUSED 127.0.0.1:2525");
});

Deno.test("the messaging endpoint is Africa's Talking's path, from an origin or a full URL", () => {
  assert.equal(
    messagingEndpoint("https://api.africastalking.com"),
    "https://api.africastalking.com/version1/messaging",
  );
  assert.equal(
    messagingEndpoint("https://api.sandbox.africastalking.com/version1/messaging"),
    "https://api.sandbox.africastalking.com/version1/messaging",
  );
  assert.equal(
    messagingEndpoint("http://127.0.0.1:8025/"),
    "http://127.0.0.1:8025/version1/messaging",
  );
});

Deno.test("SMS: accepted codes resolve with the messageId; others fail, some for good", async () => {
  const emulator = startSmsEmulator();
  try {
    const transport = smsTransport({
      url: emulator.url,
      username: emulator.username,
      apiKey: emulator.apiKey,
    });
    const sent = await transport.send(sms("+254712345678"));
    assert.match(sent.providerMessageId!, /^ATXid_/);
    assert.equal(emulator.messages[0].from, null, "no from unless a sender ID is set");

    for (
      const [code, name, permanent] of [
        [403, "InvalidPhoneNumber", true],
        [404, "UnsupportedNumberType", true],
        [406, "UserInBlacklist", true],
        [405, "InsufficientBalance", false],
        [402, "InvalidSenderId", false],
        [500, "InternalServerError", false],
      ] as const
    ) {
      emulator.statusFor = () => code;
      await assert.rejects(
        transport.send(sms("+254712345678")),
        (error: DeliveryError) =>
          error instanceof DeliveryError && error.permanent === permanent &&
          error.message === `SMS refused: ${name} (${code})`,
        `${code}`,
      );
    }

    const wrongUser = smsTransport({
      url: emulator.url,
      username: "other",
      apiKey: emulator.apiKey,
    });
    await assert.rejects(wrongUser.send(sms("+254712345678")), /answered 401/);
    const nobody = smsTransport({ url: "http://127.0.0.1:9", username: "x", apiKey: "y" });
    await assert.rejects(nobody.send(sms("+254712345678")), /SMS API unreachable/);
  } finally {
    await emulator.close();
  }
});

Deno.test("the SMS emulator answers like Africa's Talking", async () => {
  const emulator = startSmsEmulator({ username: "sandbox", apiKey: "emulator-key" });
  try {
    const endpoint = `${emulator.url}/version1/messaging`;
    const post = (body: Record<string, string>, apiKey = "emulator-key") =>
      fetch(endpoint, {
        method: "POST",
        headers: { apiKey, Accept: "application/json" },
        body: new URLSearchParams(body),
      });
    const wrong = await post({ username: "sandbox", to: "+254712345678", message: "x" }, "nope");
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const missing = await post({ username: "sandbox", message: "x" });
    assert.equal(missing.status, 400);
    await missing.body?.cancel();

    const res = await post({ username: "sandbox", to: "+254712345678,0712", message: "Habari ũ" });
    assert.equal(res.status, 201);
    const { SMSMessageData } = await res.json();
    assert.equal(SMSMessageData.Message, "Sent to 1/2 Total Cost: KES 0.8000");
    assert.equal(SMSMessageData.Recipients.length, 2);
    assert.deepEqual(
      SMSMessageData.Recipients.map((r: { statusCode: number; status: string }) => [
        r.statusCode,
        r.status,
      ]),
      [[101, "Success"], [403, "InvalidPhoneNumber"]],
    );
    assert.equal(emulator.messages.length, 1);
    assert.equal(emulator.requests, 3);
  } finally {
    await emulator.close();
  }
});

Deno.test("SMTP: a refused recipient fails for good; a refused login is retried", async () => {
  const server = await startSmtpServer({ user: "mailer", pass: "right-pass" });
  const message: OutgoingMessage = {
    id: "1",
    tenantId: null,
    channel: "email",
    to: "gone@school.test",
    subject: "Hi",
    body: "x",
  };
  server.rejectRecipients.set("gone@school.test", 550);
  const good = smtpTransport({ url: server.url, from: "no-reply@school.test" });
  const badLogin = smtpTransport({
    url: server.url.replace("right-pass", "wrong-pass"),
    from: "no-reply@school.test",
  });
  try {
    await assert.rejects(
      good.send(message),
      (e: DeliveryError) =>
        e instanceof DeliveryError && e.permanent && /^SMTP 550/.test(e.message),
    );
    await assert.rejects(
      badLogin.send({ ...message, to: "ok@school.test" }),
      (e: DeliveryError) =>
        e instanceof DeliveryError && !e.permanent && !e.message.includes("wrong-pass"),
    );
    assert.equal(server.received.length, 0);
  } finally {
    await good.close?.();
    await badLogin.close?.();
    await server.close();
  }
});

Deno.test("the development mailbox keeps the newest messages first, up to its capacity", async () => {
  const mailbox = new DevMailbox(2);
  for (const id of ["1", "2", "3"]) {
    await mailbox.send({ ...sms("+254712345678", `code ${id}`), id });
  }
  assert.deepEqual(mailbox.list().map((m) => m.body), ["code 3", "code 2"]);
  assert.equal(mailbox.get("2")?.body, "code 2");
  assert.equal(mailbox.get("1"), undefined);
});
