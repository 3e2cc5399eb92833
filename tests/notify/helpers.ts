/** Shared pieces of the notification tests. */
import { createLogger, type Logger } from "../../lib/log.ts";
import type { Db } from "../../lib/db/types.ts";
import type { OwnerSession } from "../../lib/db/owner.ts";
import type { Channel, Delivery, OutgoingMessage, Transport } from "../../lib/notify/types.ts";

/** A logger whose JSON lines end up in `lines`, as production would print them. */
export function capturedLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger((line) => lines.push(line)), lines };
}

export async function enqueue(
  db: Db,
  channel: Channel,
  recipient: string,
  subject: string | null,
  body: string,
  tenantId: string | null = null,
): Promise<string> {
  const [{ id }] = await db.asService((q) =>
    q<{ id: string }>("select private.enqueue_notification($1, $2, $3, $4, $5) as id", [
      tenantId,
      channel,
      recipient,
      subject,
      body,
    ])
  );
  return id;
}

export interface OutboxRow {
  id: string;
  status: string;
  attempts: number;
  body: string;
  last_error: string | null;
  provider_message_id: string | null;
  sent_at: string | null;
  /** Seconds until next_attempt_at. */
  wait: number;
}

export async function outboxRow(owner: OwnerSession, id: string): Promise<OutboxRow> {
  const [row] = await owner.query<OutboxRow>(
    "select id, status, attempts, body, last_error, provider_message_id, sent_at::text, " +
      "extract(epoch from next_attempt_at - now())::float8 as wait from private.outbox where id = $1",
    [id],
  );
  return row;
}

/** Time passes: whatever is pending becomes due now. */
export async function makeDue(owner: OwnerSession): Promise<void> {
  await owner.query(
    "update private.outbox set next_attempt_at = now() where status in ('pending', 'sending')",
  );
}

/** A transport that records what it is given and can be told to fail. */
export class RecordingTransport implements Transport {
  readonly name = "recording";
  readonly sent: OutgoingMessage[] = [];
  attempts = 0;
  failWith: Error | null = null;
  delayMs = 0;
  #waiters: ((message: OutgoingMessage) => void)[] = [];

  async send(message: OutgoingMessage): Promise<Delivery> {
    this.attempts++;
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failWith) throw this.failWith;
    this.sent.push(message);
    this.#waiters.splice(0).forEach((resolve) => resolve(message));
    return { providerMessageId: `rec-${message.id}` };
  }

  /** Resolves with the next message sent. */
  next(): Promise<OutgoingMessage> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
