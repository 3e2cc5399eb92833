/**
 * SMS through Africa's Talking's messaging API (or anything that speaks its wire format, such
 * as ./sms_emulator.ts):
 *   POST {url}/version1/messaging, form-encoded username, to, message[, from],
 *   headers apiKey and Accept: application/json;
 *   201 with {"SMSMessageData":{"Message":…,"Recipients":[{"statusCode":101,"status":"Success",
 *   "number":…,"messageId":…,"cost":…}]}}.
 * statusCode 100 Processed, 101 Sent, 102 Queued mean accepted (the delivery report, not yet
 * handled, gives the final state); 403 InvalidPhoneNumber, 404 UnsupportedNumberType and 406
 * UserInBlacklist will never succeed; the rest (RiskHold, InvalidSenderId, InsufficientBalance,
 * CouldNotRoute, 5xx) may once someone acts, so they are retried.
 */
import { z } from "zod";
import { type Delivery, DeliveryError, type OutgoingMessage, type Transport } from "./types.ts";

const MESSAGING_PATH = "/version1/messaging";

export interface SmsOptions {
  /** The API's origin (`https://api.africastalking.com`) or its full messaging URL. */
  url: string;
  username: string;
  apiKey: string;
  /** Sender ID or short code (`from`); the account's default when unset. */
  senderId?: string;
  timeoutMs?: number;
}

const ACCEPTED = new Set([100, 101, 102]);
const PERMANENT = new Set([403, 404, 406]);

const responseSchema = z.object({
  SMSMessageData: z.object({
    Message: z.string().optional(),
    Recipients: z.array(z.object({
      statusCode: z.coerce.number().int(),
      status: z.string(),
      messageId: z.string().optional(),
    })),
  }),
});

/** The messaging endpoint for an origin, or the URL itself when it already is one. */
export function messagingEndpoint(url: string): string {
  const parsed = new URL(url);
  if (!parsed.pathname.replace(/\/+$/, "").endsWith(MESSAGING_PATH)) {
    parsed.pathname = parsed.pathname.replace(/\/+$/, "") + MESSAGING_PATH;
  }
  return parsed.toString();
}

export function smsTransport(options: SmsOptions): Transport {
  const endpoint = messagingEndpoint(options.url);
  const timeoutMs = options.timeoutMs ?? 20_000;
  return {
    name: "africastalking",
    async send(message: OutgoingMessage): Promise<Delivery> {
      const form = new URLSearchParams({
        username: options.username,
        to: message.to,
        message: message.body,
      });
      if (options.senderId) form.set("from", options.senderId);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: {
            apiKey: options.apiKey,
            Accept: "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
          },
          body: form,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new DeliveryError(`SMS API unreachable: ${(error as Error).message}`);
      }
      const text = await response.text().catch(() => "");
      if (response.status !== 201) {
        throw new DeliveryError(`SMS API answered ${response.status}: ${text.slice(0, 200)}`);
      }
      let parsed;
      try {
        parsed = responseSchema.parse(JSON.parse(text));
      } catch {
        throw new DeliveryError(
          `SMS API answered 201 with an unexpected body: ${text.slice(0, 200)}`,
        );
      }
      const [recipient] = parsed.SMSMessageData.Recipients;
      if (!recipient) {
        throw new DeliveryError(
          `SMS API accepted no recipient: ${parsed.SMSMessageData.Message ?? "no reason given"}`,
        );
      }
      if (!ACCEPTED.has(recipient.statusCode)) {
        throw new DeliveryError(
          `SMS refused: ${recipient.status} (${recipient.statusCode})`,
          PERMANENT.has(recipient.statusCode),
        );
      }
      return { providerMessageId: recipient.messageId };
    },
  };
}
