/**
 * The outbox worker against a real migrated database (embedded, or the server in DATABASE_URL):
 * email through a real SMTP server, SMS through the Africa's Talking emulator, woken by NOTIFY,
 * retried with backoff and dead-lettered, never sending a message twice, never logging a body,
 * a code or a phone number.
 */
import assert from "node:assert/strict";
import { withLogin } from "../../lib/config.ts";
import { openServer } from "../../lib/db/server.ts";
import type { Db } from "../../lib/db/types.ts";
import { smsTransport } from "../../lib/notify/sms.ts";
import { startSmsEmulator } from "../../lib/notify/sms_emulator.ts";
import { smtpTransport } from "../../lib/notify/smtp.ts";
import { DeliveryError } from "../../lib/notify/types.ts";
import { type OutboxWorker, startOutboxWorker } from "../../lib/notify/worker.ts";
import { openTestDatabase, type TestDatabase, testKind } from "../support/database.ts";
import { capturedLog, enqueue, makeDue, outboxRow, RecordingTransport } from "./helpers.ts";
import { startSmtpServer } from "./smtp_server.ts";

const OTP = "482913";
const PHONE = "+254712345678";

/** A database and a worker over it, both closed afterwards whatever happens. */
async function withWorker(
  transports: Parameters<typeof startOutboxWorker>[0]["transports"],
  run: (t: TestDatabase, worker: OutboxWorker, lines: string[]) => Promise<void>,
  options: { pollMs?: number } = {},
) {
  const t = await openTestDatabase();
  const { log, lines } = capturedLog();
  // A long poll: anything faster than a minute was woken by NOTIFY.
  const worker = startOutboxWorker({ db: t.db, transports, log, pollMs: options.pollMs ?? 60_000 });
  try {
    await run(t, worker, lines);
  } finally {
    await worker.stop();
    await t.close();
  }
}

Deno.test("an email reaches a real SMTP server with its recipient, subject and body", async () => {
  const password = "smtp-Pa55word-never-logged";
  const smtp = await startSmtpServer({ user: "mailer", pass: password });
  const email = smtpTransport({ url: smtp.url, from: "Elymica <no-reply@school.test>" });
  try {
    await withWorker({ email }, async (t, worker, lines) => {
      const arrived = smtp.next();
      const subject = "Fees for Term 2 – due 5 May ✓";
      const body = `Hello Amina,\n\nYour sign-in code is ${OTP}.\n\nElymica`;
      const id = await enqueue(t.db, "email", "Parent.One@School.test", subject, body);
      const mail = await arrived;
      await worker.drain();

      assert.deepEqual(mail.envelopeTo, ["parent.one@school.test"]);
      assert.equal(mail.envelopeFrom, "no-reply@school.test");
      assert.equal(mail.from, '"Elymica" <no-reply@school.test>');
      assert.equal(mail.to, "parent.one@school.test");
      assert.equal(mail.subject, subject);
      assert.equal(mail.text.trim(), body);

      const row = await outboxRow(t.owner, id);
      assert.equal(row.status, "sent");
      assert.equal(row.attempts, 1);
      assert.equal(row.body, "", "the body is blanked once sent");
      assert.equal(row.provider_message_id, mail.messageId);

      const log = lines.join("\n");
      assert.match(log, /"msg":"notification sent".*"to":"p••••@school.test".*"transport":"smtp"/);
      for (const secret of [OTP, password, "parent.one@school.test", "Amina"]) {
        assert.ok(!log.includes(secret), `the log holds ${secret}`);
      }
    });
  } finally {
    await email.close?.();
    await smtp.close();
  }
});

Deno.test("an SMS reaches the Africa's Talking emulator in its wire format", async () => {
  const sms = startSmsEmulator({ username: "elymica", apiKey: "at-key-0123456789" });
  try {
    const transport = smsTransport({
      url: sms.url,
      username: "elymica",
      apiKey: "at-key-0123456789",
      senderId: "ELYMICA",
    });
    await withWorker({ sms: transport }, async (t, worker, lines) => {
      const body = `Your Elymica code is ${OTP}`;
      const id = await enqueue(t.db, "sms", PHONE, "sign-in code", body);
      await worker.drain();

      assert.equal(sms.messages.length, 1);
      const [received] = sms.messages;
      assert.equal(received.username, "elymica");
      assert.equal(received.to, PHONE);
      assert.equal(received.message, body);
      assert.equal(received.from, "ELYMICA");
      assert.equal(received.headers.get("apiKey"), "at-key-0123456789");
      assert.equal(received.headers.get("Accept"), "application/json");
      assert.match(received.headers.get("Content-Type")!, /^application\/x-www-form-urlencoded/);

      const row = await outboxRow(t.owner, id);
      assert.equal(row.status, "sent");
      assert.equal(row.body, "");
      assert.equal(row.provider_message_id, received.messageId);
      assert.match(received.messageId, /^ATXid_/);

      const log = lines.join("\n");
      assert.match(log, /"to":"\+2547••••678"/);
      for (const secret of [OTP, PHONE, PHONE.slice(1), "712345678", "at-key-0123456789"]) {
        assert.ok(!log.includes(secret), `the log holds ${secret}`);
      }
    });
  } finally {
    await sms.close();
  }
});

Deno.test("NOTIFY wakes the worker: enqueue → delivered in well under 30 s", async () => {
  const transport = new RecordingTransport();
  await withWorker({ email: transport, sms: transport }, async (t, worker) => {
    await worker.ready; // listening, start-up round over: only NOTIFY can wake it now
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const delivered = transport.next();
      const started = performance.now();
      await enqueue(t.db, "sms", PHONE, null, `Reminder ${i}`);
      await delivered;
      latencies.push(performance.now() - started);
    }
    const worst = Math.max(...latencies);
    console.log(
      `enqueue → delivered (${testKind}): ${latencies.map((ms) => ms.toFixed(1)).join(", ")} ms`,
    );
    assert.ok(worst < 5_000, `slowest delivery took ${worst} ms (polling is every 60 s)`);
  });
});

Deno.test("a failing transport: retried after 10, 20, 40, 80, 160 s, dead after the 6th attempt", async () => {
  const transport = new RecordingTransport();
  transport.failWith = new Error("421 Service not available, try later");
  await withWorker({ email: transport }, async (t, worker, lines) => {
    const id = await enqueue(t.db, "email", "a@school.test", "Hello", "Body");
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      await worker.drain();
      const row = await outboxRow(t.owner, id);
      assert.equal(row.attempts, attempt);
      assert.equal(transport.attempts, attempt);
      assert.equal(row.last_error, "421 Service not available, try later");
      if (attempt < 6) {
        assert.equal(row.status, "pending");
        waits.push(Math.round(row.wait));
        await worker.drain();
        assert.equal(transport.attempts, attempt, "not retried before its time");
        await makeDue(t.owner); // the clock trick: time passes
      } else {
        assert.equal(row.status, "dead");
      }
    }
    assert.deepEqual(waits, [10, 20, 40, 80, 160]);
    await makeDue(t.owner);
    await worker.drain();
    assert.equal(transport.attempts, 6, "a dead message is never tried again");
    const failures = lines.map((line) => JSON.parse(line)).filter((l) => l.level === "warn");
    assert.deepEqual(
      failures.map((l) => `${l.msg}/${l.status}/${l.attempt}`),
      [1, 2, 3, 4, 5].map((n) => `notification failed/pending/${n}`)
        .concat("notification failed for good/dead/6"),
    );
  });
});

Deno.test("a permanent SMS failure is dead at once; a wrong API key is retried", async () => {
  const sms = startSmsEmulator({ username: "elymica", apiKey: "right-key-123" });
  try {
    const wrongKey = smsTransport({ url: sms.url, username: "elymica", apiKey: "wrong-key-123" });
    await withWorker({ sms: wrongKey }, async (t, worker) => {
      const id = await enqueue(t.db, "sms", PHONE, null, "Hello");
      await worker.drain();
      const row = await outboxRow(t.owner, id);
      assert.equal(row.status, "pending");
      assert.match(row.last_error!, /answered 401/);
    });
    sms.statusFor = () => 403;
    const right = smsTransport({ url: sms.url, username: "elymica", apiKey: "right-key-123" });
    await withWorker({ sms: right }, async (t, worker) => {
      const id = await enqueue(t.db, "sms", PHONE, null, "Hello");
      await worker.drain();
      const row = await outboxRow(t.owner, id);
      assert.equal(row.status, "dead");
      assert.equal(row.attempts, 1);
      assert.equal(row.last_error, "SMS refused: InvalidPhoneNumber (403)");
    });
    assert.equal(sms.messages.length, 0);
  } finally {
    await sms.close();
  }
});

Deno.test("logs and stored errors hold no code, body or full phone number", async () => {
  const transport = new RecordingTransport();
  // A provider that echoes what it was given back in its error.
  transport.failWith = new DeliveryError(
    `could not deliver "Your code is ${OTP}" to ${PHONE} (254712345678)`,
  );
  await withWorker({ sms: transport, email: transport }, async (t, worker, lines) => {
    const failing = await enqueue(t.db, "sms", PHONE, null, `Your code is ${OTP}`);
    await worker.drain();
    transport.failWith = null;
    await makeDue(t.owner);
    await enqueue(t.db, "email", "amina@school.test", "Your code", `Your code is ${OTP}`);
    await worker.drain();

    const row = await outboxRow(t.owner, failing);
    assert.equal(row.status, "sent");
    const log = lines.join("\n");
    assert.equal(lines.length, 3, log);
    for (const secret of [OTP, PHONE, "254712345678", "712345678", "amina@school.test"]) {
      assert.ok(!log.includes(secret), `the log holds ${secret}`);
    }
    const [failed] = lines.map((line) => JSON.parse(line)).filter((l) => l.level === "warn");
    assert.equal(failed.reason, 'could not deliver "[redacted]" to [redacted] (2547••••678)');
    const stored = await t.owner.query<{ last_error: string | null; body: string }>(
      "select last_error, body from private.outbox",
    );
    for (const { last_error, body } of stored) {
      assert.ok(!last_error?.includes(OTP) && !last_error?.includes("712345678"));
      assert.equal(body, "", "both bodies blanked once sent");
    }
  });
});

Deno.test("a message abandoned by a crashed worker is sent once its lease ends", async () => {
  const transport = new RecordingTransport();
  await withWorker({ email: transport }, async (t, worker) => {
    const id = await enqueue(t.db, "email", "a@school.test", "Hello", "Body");
    // Another worker claimed it and died before reporting (the running worker may have won
    // the race for it: then there is nothing left to crash).
    await worker.stop();
    const claimed = await t.db.asService((q) => q("select id from private.outbox_claim(10)"));
    const restarted = startOutboxWorker({
      db: t.db,
      transports: { email: transport },
      log: capturedLog().log,
      pollMs: 60_000,
    });
    try {
      await restarted.drain();
      const before = transport.sent.length;
      if (claimed.length === 1) {
        assert.equal(before, 0, "leased: not sent while the lease runs");
        await t.owner.query(
          "update private.outbox set next_attempt_at = now() - interval '1 second' where id = $1",
          [id],
        );
        await restarted.drain();
      }
      assert.deepEqual(transport.sent.map((m) => m.id), [id]);
      const row = await outboxRow(t.owner, id);
      assert.equal(row.status, "sent");
      assert.equal(row.attempts, claimed.length + 1);
    } finally {
      await restarted.stop();
    }
  });
});

/** A second handle on the same database: another process, as far as the server can tell. */
function secondHandle(t: TestDatabase): { db: Db; close(): Promise<void> } {
  if (t.kind === "embedded") return { db: t.db, close: () => Promise.resolve() };
  const db = openServer({
    webUrl: withLogin(t.url!, "elymica_web"),
    jobsUrl: withLogin(t.url!, "elymica_jobs"),
    poolSize: 4,
  });
  return { db, close: () => db.close() };
}

Deno.test("two workers never send the same message twice (50 messages)", async () => {
  const t = await openTestDatabase();
  const other = secondHandle(t);
  const deliveries = new Map<string, number>();
  const byWorker = [0, 0];
  const counting = (worker: number) => ({
    name: `counting-${worker}`,
    async send(message: { id: string }) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
      deliveries.set(message.id, (deliveries.get(message.id) ?? 0) + 1);
      byWorker[worker]++;
      return {};
    },
  });
  const { log } = capturedLog();
  const workers = [t.db, other.db].map((db, i) =>
    startOutboxWorker({ db, transports: { email: counting(i) }, log, batchSize: 5 })
  );
  try {
    await t.db.asService((q) =>
      q(
        "select private.enqueue_notification(null, 'email', 'p' || n || '@school.test', " +
          "'Report ' || n, 'Body ' || n) from generate_series(1, 50) n",
      )
    );
    await Promise.all(workers.map((w) => w.drain()));
    await Promise.all(workers.map((w) => w.drain()));
    const [{ sent }] = await t.owner.query<{ sent: number }>(
      "select count(*)::int as sent from private.outbox where status = 'sent' and attempts = 1",
    );
    console.log(`two workers (${t.kind}): ${byWorker.join(" + ")} deliveries`);
    assert.equal(sent, 50);
    assert.equal(deliveries.size, 50);
    assert.deepEqual([...deliveries.values()].filter((n) => n !== 1), [], "a message sent twice");
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await other.close();
    await t.close();
  }
});

Deno.test({
  name: "skip locked: a claim neither waits for nor takes rows another transaction holds",
  // PGlite is one session: a second transaction waits for the first, so there is no race.
  ignore: testKind !== "postgres",
  async fn() {
    const t = await openTestDatabase();
    const other = secondHandle(t);
    try {
      await t.db.asService((q) =>
        q(
          "select private.enqueue_notification(null, 'sms', '+2547000000' || lpad(n::text, 2, '0'), " +
            "null, 'x') from generate_series(1, 10) n",
        )
      );
      let release!: () => void;
      const held = new Promise<void>((resolve) => release = resolve);
      let first: string[] = [];
      let claimedFirst!: () => void;
      const firstClaimed = new Promise<void>((resolve) => claimedFirst = resolve);
      const holder = t.db.asService(async (q) => {
        first = (await q<{ id: string }>("select id from private.outbox_claim(4)")).map((r) =>
          r.id
        );
        claimedFirst();
        await held; // the claim's transaction stays open, its rows locked
      });
      await firstClaimed;
      const started = performance.now();
      const second = (await other.db.asService((q) =>
        q<{ id: string }>("select id from private.outbox_claim(10)")
      )).map((r) =>
        r.id
      );
      const waited = performance.now() - started;
      release();
      await holder;

      assert.equal(first.length, 4);
      assert.equal(second.length, 6);
      assert.deepEqual(first.filter((id) => second.includes(id)), [], "a row claimed twice");
      assert.ok(waited < 1_000, `the second claim waited ${waited} ms`);
      const [{ attempts }] = await t.owner.query<{ attempts: number }>(
        "select max(attempts) as attempts from private.outbox",
      );
      assert.equal(attempts, 1);
    } finally {
      await other.close();
      await t.close();
    }
  },
});

Deno.test("an insert NOTIFYs channel outbox with its id on commit, never on rollback", async () => {
  const t = await openTestDatabase();
  const heard: string[] = [];
  let waiter: (() => void) | undefined;
  const unlisten = await t.db.listen("outbox", (payload) => {
    heard.push(payload);
    waiter?.();
  });
  try {
    const next = new Promise<void>((resolve) => waiter = resolve);
    const id = await enqueue(t.db, "email", "a@school.test", "Hi", "x");
    await next;
    assert.deepEqual(heard, [id]);

    await assert.rejects(t.db.asService(async (q) => {
      await q("select private.enqueue_notification(null, 'sms', '+254712345678', null, 'x')");
      throw new Error("rolled back");
    }));
    const after = new Promise<void>((resolve) => waiter = resolve);
    const third = await enqueue(t.db, "email", "b@school.test", "Hi", "x");
    await after;
    assert.deepEqual(heard, [id, third], "the rolled-back insert was never announced");
  } finally {
    await unlisten();
    await t.close();
  }
});
