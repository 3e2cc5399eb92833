/**
 * A local stand-in for Africa's Talking's SMS endpoint, for tests and for trying the SMS path
 * without an account. Same path, form fields, `apiKey` header (401 when wrong) and JSON answer
 * as the real API; every accepted message is recorded.
 *
 * Try the SMS path locally:
 *   deno run -A lib/notify/sms_emulator.ts            # prints the URL, prints each SMS it gets
 *   SMS_API_URL=http://127.0.0.1:8025 SMS_USERNAME=sandbox SMS_API_KEY=emulator-key deno task start
 */

export interface EmulatedSms {
  messageId: string;
  username: string;
  to: string;
  message: string;
  from: string | null;
  /** The request's headers, for tests of the wire format. */
  headers: Headers;
  receivedAt: Date;
}

export interface SmsEmulatorOptions {
  username?: string;
  apiKey?: string;
  hostname?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Africa's Talking statusCode per number; default 101 (Sent) for E.164, 403 otherwise. */
  statusFor?: (phoneNumber: string) => number;
  /** Called with each accepted message. */
  onMessage?: (sms: EmulatedSms) => void;
}

export interface SmsEmulator {
  /** Origin to use as SMS_API_URL. */
  url: string;
  username: string;
  apiKey: string;
  /** Accepted messages, oldest first. */
  messages: EmulatedSms[];
  /** Every request that reached the endpoint, accepted or not. */
  requests: number;
  /** Replace to make numbers fail (e.g. `() => 500`). */
  statusFor: (phoneNumber: string) => number;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = {
  100: "Processed",
  101: "Success",
  102: "Queued",
  401: "RiskHold",
  402: "InvalidSenderId",
  403: "InvalidPhoneNumber",
  404: "UnsupportedNumberType",
  405: "InsufficientBalance",
  406: "UserInBlacklist",
  407: "CouldNotRoute",
  500: "InternalServerError",
  501: "GatewayError",
  502: "RejectedByGateway",
};

const defaultStatus = (phoneNumber: string) => /^\+[1-9]\d{7,14}$/.test(phoneNumber) ? 101 : 403;

/** GSM-7 basic set; one character outside it makes the whole SMS UCS-2. */
const GSM7 =
  /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;

function parts(text: string): number {
  const gsm = GSM7.test(text);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return text.length <= single ? 1 : Math.ceil(text.length / multi);
}

export function startSmsEmulator(options: SmsEmulatorOptions = {}): SmsEmulator {
  const username = options.username ?? "sandbox";
  const apiKey = options.apiKey ?? "emulator-key";
  const messages: EmulatedSms[] = [];
  const emulator = {
    url: "",
    username,
    apiKey,
    messages,
    requests: 0,
    statusFor: options.statusFor ?? defaultStatus,
    close: () => Promise.resolve(),
  };

  const handler = async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname;
    if (path !== "/version1/messaging") return new Response("Not found", { status: 404 });
    if (req.method !== "POST") return new Response("Method not allowed", { status: 405 });
    emulator.requests++;
    if (req.headers.get("apiKey") !== apiKey) {
      return new Response("The supplied authentication is invalid", { status: 401 });
    }
    if (!req.headers.get("Content-Type")?.startsWith("application/x-www-form-urlencoded")) {
      return new Response("Request body must be form-encoded", { status: 415 });
    }
    const form = new URLSearchParams(await req.text());
    if (form.get("username") !== username) {
      return new Response("The supplied authentication is invalid", { status: 401 });
    }
    const to = form.get("to");
    const message = form.get("message");
    if (!to) return new Response("Request is missing required form field 'to'", { status: 400 });
    if (!message) {
      return new Response("Request is missing required form field 'message'", { status: 400 });
    }
    const count = parts(message);
    const recipients = to.split(",").map((number) => number.trim()).map((number) => {
      const statusCode = emulator.statusFor(number);
      const accepted = statusCode >= 100 && statusCode <= 102;
      const messageId = accepted ? `ATXid_${crypto.randomUUID().replaceAll("-", "")}` : "None";
      if (accepted) {
        const sms = {
          messageId,
          username,
          to: number,
          message,
          from: form.get("from"),
          headers: req.headers,
          receivedAt: new Date(),
        };
        messages.push(sms);
        options.onMessage?.(sms);
      }
      return {
        statusCode,
        number,
        status: STATUS_NAMES[statusCode] ?? "Failed",
        cost: accepted ? `KES ${(0.8 * count).toFixed(4)}` : "0",
        messageId,
        messageParts: count,
      };
    });
    const sent = recipients.filter((r) => r.statusCode <= 102).length;
    const body = {
      SMSMessageData: {
        Message: `Sent to ${sent}/${recipients.length} Total Cost: KES ${
          (0.8 * count * sent).toFixed(4)
        }`,
        Recipients: recipients,
      },
    };
    return Response.json(body, { status: 201 });
  };

  const server = Deno.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    onListen: () => {},
  }, handler);
  const { hostname, port } = server.addr as Deno.NetAddr;
  emulator.url = `http://${hostname}:${port}`;
  emulator.close = () => server.shutdown();
  return emulator;
}

if (import.meta.main) {
  const emulator = startSmsEmulator({
    port: Number(Deno.env.get("PORT") ?? 8025),
    // This stands in for the phone: it shows the text, as the phone would.
    onMessage: (sms) =>
      console.log(`${sms.receivedAt.toISOString()}  to ${sms.to}  ${JSON.stringify(sms.message)}`),
  });
  console.log(
    `Africa's Talking SMS emulator on ${emulator.url}\n\n` +
      `Start Elymica with:\n  SMS_API_URL=${emulator.url} SMS_USERNAME=${emulator.username} ` +
      `SMS_API_KEY=${emulator.apiKey} deno task start\n\nMessages received:`,
  );
}
