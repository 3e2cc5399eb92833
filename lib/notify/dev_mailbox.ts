/**
 * The development mailbox: the default transport for email and SMS when no SMTP server or SMS
 * provider is configured, so the whole flow — a code sent, read, typed in — works offline.
 * Messages are kept in memory (the newest few hundred) and shown at /dev/mailbox; they are
 * gone when the server stops. `APP_ENV=production` refuses to start with it (lib/config.ts).
 */
import type { Channel, Delivery, OutgoingMessage, Transport } from "./types.ts";

export interface MailboxMessage {
  outboxId: string;
  channel: Channel;
  to: string;
  subject: string | null;
  body: string;
  receivedAt: Date;
}

export class DevMailbox implements Transport {
  readonly name = "dev-mailbox";
  readonly #messages: MailboxMessage[] = [];

  constructor(readonly capacity = 500) {}

  send(message: OutgoingMessage): Promise<Delivery> {
    this.#messages.unshift({
      outboxId: message.id,
      channel: message.channel,
      to: message.to,
      subject: message.subject,
      body: message.body,
      receivedAt: new Date(),
    });
    this.#messages.length = Math.min(this.#messages.length, this.capacity);
    return Promise.resolve({ providerMessageId: `dev-mailbox-${message.id}` });
  }

  /** The newest messages first. */
  list(limit = 50): MailboxMessage[] {
    return this.#messages.slice(0, limit);
  }

  /** The message the worker delivered for this outbox id, if the mailbox still holds it. */
  get(outboxId: string): MailboxMessage | undefined {
    return this.#messages.find((message) => message.outboxId === outboxId);
  }
}
