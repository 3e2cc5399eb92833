/**
 * What the outbox worker hands a transport, and what a transport answers. A transport sends one
 * message and either resolves (the provider accepted it) or throws; a `DeliveryError` says
 * whether trying again could help.
 */

export type Channel = "email" | "sms";

/** One claimed outbox row, as a transport sees it. */
export interface OutgoingMessage {
  /** The outbox id (int8, as a string). */
  id: string;
  tenantId: string | null;
  channel: Channel;
  /** An email address (email) or an E.164 number (sms). */
  to: string;
  /** The email's subject; for SMS a label that is not sent. */
  subject: string | null;
  /** Plain text. Never log it: it may hold a sign-in code. */
  body: string;
}

export interface Delivery {
  /** The provider's id for the message (SMTP Message-ID, Africa's Talking messageId). */
  providerMessageId?: string;
}

export interface Transport {
  /** For logs: "smtp", "africastalking", "dev-mailbox". */
  readonly name: string;
  send(message: OutgoingMessage): Promise<Delivery>;
  close?(): Promise<void>;
}

export type Transports = Partial<Record<Channel, Transport>>;

/**
 * A failed delivery. `permanent` failures (an invalid number, a mailbox that does not exist) are
 * dead-lettered at once; others are retried with backoff. The message must not contain the
 * body; the worker also scrubs recipients and phone numbers from it before logging.
 */
export class DeliveryError extends Error {
  override name = "DeliveryError";
  constructor(message: string, readonly permanent = false, options?: ErrorOptions) {
    super(message, options);
  }
}
