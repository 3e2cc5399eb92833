/**
 * The outbox worker (ARCHITECTURE §7): wakes on `NOTIFY outbox` (and every `pollMs`, should a
 * notification be missed), claims due messages with `private.outbox_claim` as service_role,
 * sends each one outside any transaction, then reports it in a transaction of its own
 * (`outbox_sent` / `outbox_failed`). The database decides what is due, the backoff and when a
 * message is dead; `for update skip locked` keeps workers in other processes off the same rows.
 *
 * Never I/O inside a transaction: PGlite holds its only connection across every await, and on
 * a server a slow SMTP server would pin a pooled connection and the rows' locks.
 *
 * Logs carry the outbox id, channel, masked recipient, attempt and timing, never the body.
 */
import type { Db } from "../db/types.ts";
import { startWakeLoop } from "../db/wake_loop.ts";
import type { Logger } from "../log.ts";
import { maskRecipient, scrub } from "./mask.ts";
import { type Channel, DeliveryError, type OutgoingMessage, type Transports } from "./types.ts";

export interface OutboxWorkerOptions {
  db: Db;
  transports: Transports;
  log: Logger;
  /** Messages claimed per round. Default 10. */
  batchSize?: number;
  /** Safety-net polling interval. Default 5 s. */
  pollMs?: number;
  /** A send that takes longer counts as failed (and is retried). Default 60 s. */
  sendTimeoutMs?: number;
}

export interface OutboxWorker {
  /** Resolves once the worker listens for NOTIFY (or gave up on it) and has done its first round. */
  ready: Promise<void>;
  /** Processes until nothing is due (tests; also what a NOTIFY or a poll tick triggers). */
  drain(): Promise<void>;
  /** Stops listening and polling and waits for the round in progress. */
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  tenant_id: string | null;
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
  attempts: number;
}

export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, transports, log } = options;
  const batchSize = options.batchSize ?? 10;
  const pollMs = options.pollMs ?? 5_000;
  const sendTimeoutMs = options.sendTimeoutMs ?? 60_000;

  async function deliver(row: OutboxRow): Promise<void> {
    const message: OutgoingMessage = {
      id: row.id,
      tenantId: row.tenant_id,
      channel: row.channel,
      to: row.recipient,
      subject: row.subject,
      body: row.body,
    };
    const transport = transports[row.channel];
    const fields = {
      outboxId: row.id,
      channel: row.channel,
      to: maskRecipient(row.channel, row.recipient),
      attempt: row.attempts,
      transport: transport?.name ?? null,
    };
    const started = performance.now();
    try {
      if (!transport) throw new DeliveryError(`No transport is configured for ${row.channel}`);
      const delivery = await withTimeout(transport.send(message), sendTimeoutMs);
      const ms = Math.round(performance.now() - started);
      const [{ marked }] = await db.asService((q) =>
        q<{ marked: boolean }>("select private.outbox_sent($1, $2) as marked", [
          row.id,
          delivery.providerMessageId ?? null,
        ])
      );
      if (marked) log.info("notification sent", { ...fields, ms });
      else log.warn("notification sent, but another worker had taken it over", { ...fields, ms });
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      const permanent = error instanceof DeliveryError && error.permanent;
      const reason = scrub(
        error instanceof Error ? error.message : String(error),
        [row.body, row.recipient],
      );
      try {
        const [{ status }] = await db.asService((q) =>
          q<{ status: string | null }>("select private.outbox_failed($1, $2, $3) as status", [
            row.id,
            reason,
            permanent,
          ])
        );
        const what = status === "dead" ? "notification failed for good" : "notification failed";
        log.warn(what, { ...fields, ms, status, permanent, reason });
      } catch (reportError) {
        // The lease runs out and the message is claimed again: late, never lost.
        log.error("could not record a failed notification", {
          ...fields,
          reason,
          error: scrub(String((reportError as Error).message ?? reportError)),
        });
      }
    }
  }

  /** Claims and sends until a claim comes back empty. */
  async function processDue(): Promise<void> {
    while (!loop.stopped()) {
      const rows = await db.asService((q) =>
        q<OutboxRow>(
          "select id, tenant_id, channel, recipient, subject, body, attempts " +
            "from private.outbox_claim($1)",
          [batchSize],
        )
      );
      if (rows.length === 0) return;
      await Promise.all(rows.map(deliver));
    }
  }

  const loop = startWakeLoop({
    db,
    channel: "outbox",
    pollMs,
    log,
    name: "outbox worker",
    processDue,
    describeError: (error) => scrub(String(error)),
  });
  return { ready: loop.ready, drain: loop.wake, stop: loop.stop };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeliveryError(`No answer from the provider within ${ms / 1000} s`)),
      ms,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
