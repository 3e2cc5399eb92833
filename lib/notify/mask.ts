/**
 * Recipients and error texts as they may appear in logs: phone numbers and addresses masked,
 * message bodies removed. A log line is read by more people than the outbox table.
 */
import type { Channel } from "./types.ts";

const BULLETS = "••••";

/** `+254712345678` → `+2547••••678`: the country and network stay readable for support. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, "");
  if (digits.replace("+", "").length < 8) return `${BULLETS}${digits.slice(-2)}`;
  const head = digits.startsWith("+") ? 5 : 4;
  return `${digits.slice(0, head)}${BULLETS}${digits.slice(-3)}`;
}

/** `parent.one@school.test` → `p••••@school.test`. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 1) return BULLETS;
  return `${address[0]}${BULLETS}${address.slice(at)}`;
}

export function maskRecipient(channel: Channel, to: string): string {
  return channel === "sms" ? maskPhone(to) : maskEmail(to);
}

const PHONE_LIKE = /\+?\d[\d ()-]{6,}\d/g;
const EMAIL_LIKE = /[^\s@<>"',;:()[\]]+@[^\s@<>"',;:()[\]]+\.[A-Za-z]{2,}/g;

/**
 * An error text safe to log and to store: the message's body and recipient removed wherever
 * they appear, then anything that looks like a phone number or an email address masked.
 */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.trim().length >= 4) out = out.replaceAll(secret, "[redacted]");
  }
  return out
    .replace(PHONE_LIKE, (match) => match.replace(/\D/g, "").length >= 8 ? maskPhone(match) : match)
    .replace(EMAIL_LIKE, maskEmail)
    .slice(0, 1000);
}
