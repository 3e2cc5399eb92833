/**
 * Email over SMTP with nodemailer (10.x: older releases have open advisories — notes in
 * shared/docs/notifications-video.md). `SMTP_URL` carries host, port, credentials and TLS:
 *   smtp://user:pass@smtp.example.com:587   plain, upgraded with STARTTLS when the server offers it
 *   smtps://user:pass@smtp.example.com:465  TLS from the first byte
 * and nodemailer's options as query parameters (`?requireTLS=true`, `?tls.servername=…`).
 * One connection per message: no idle sockets to keep alive between bursts.
 */
import nodemailer from "nodemailer";
import { type Delivery, DeliveryError, type OutgoingMessage, type Transport } from "./types.ts";

export interface SmtpOptions {
  url: string;
  /** `Elymica <no-reply@school.example>` */
  from: string;
  /** Connection, greeting and socket timeouts. Default 15 s. */
  timeoutMs?: number;
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

export function smtpTransport(options: SmtpOptions): Transport {
  const timeout = options.timeoutMs ?? 15_000;
  const transporter = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // Messages are plain text built by SQL: never let one make nodemailer read a file or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  }, { from: options.from });

  return {
    name: "smtp",
    async send(message: OutgoingMessage): Promise<Delivery> {
      try {
        const info = await transporter.sendMail({
          to: message.to,
          subject: message.subject ?? "",
          text: message.body,
        });
        return { providerMessageId: info.messageId };
      } catch (error) {
        const e = error as SmtpFailure;
        // A 5xx to the envelope (no such mailbox, address refused) will not change on retry;
        // everything else (connection, 4xx, an authentication problem being fixed) may.
        const permanent = e.code === "EENVELOPE" && (e.responseCode ?? 0) >= 500;
        const reply = (e.response ?? e.message ?? String(error)).split("\n")[0];
        throw new DeliveryError(`SMTP ${e.responseCode ?? e.code ?? "error"}: ${reply}`, permanent);
      }
    },
    close() {
      transporter.close();
      return Promise.resolve();
    },
  };
}
