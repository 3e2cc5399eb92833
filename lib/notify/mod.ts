/**
 * Notifications: the transports the configuration asks for, and the outbox worker that uses
 * them. With no SMTP server or SMS provider configured, both channels go to the development
 * mailbox, shown at /dev/mailbox (outside production only: lib/config.ts refuses it there).
 */
import type { NotifyConfig } from "../config.ts";
import type { Logger } from "../log.ts";
import { DevMailbox } from "./dev_mailbox.ts";
import { smsTransport } from "./sms.ts";
import { smtpTransport } from "./smtp.ts";
import type { Transports } from "./types.ts";

export { DevMailbox, type MailboxMessage } from "./dev_mailbox.ts";
export { type OutboxWorker, startOutboxWorker } from "./worker.ts";
export type { Channel, OutgoingMessage, Transport, Transports } from "./types.ts";
export { DeliveryError } from "./types.ts";

export interface Notifications {
  transports: Transports;
  /** Set when at least one channel goes to the development mailbox. */
  mailbox?: DevMailbox;
  close(): Promise<void>;
}

export function createNotifications(config: NotifyConfig, log: Logger): Notifications {
  const mailbox = config.email.kind === "dev-mailbox" || config.sms.kind === "dev-mailbox"
    ? new DevMailbox()
    : undefined;
  const transports: Transports = {
    email: config.email.kind === "smtp"
      ? smtpTransport({ url: config.email.url, from: config.email.from })
      : mailbox,
    sms: config.sms.kind === "africastalking" ? smsTransport(config.sms) : mailbox,
  };
  // Hosts only: the URLs may carry credentials.
  const where = (url: string) => new URL(url).host;
  log.info("notifications ready", {
    email: config.email.kind === "smtp"
      ? `smtp ${where(config.email.url)}`
      : "development mailbox (/dev/mailbox)",
    sms: config.sms.kind === "africastalking"
      ? `africastalking ${where(config.sms.url)}`
      : "development mailbox (/dev/mailbox)",
  });
  return {
    transports,
    mailbox,
    async close() {
      await Promise.all(Object.values(transports).map((t) => t?.close?.()));
    },
  };
}
