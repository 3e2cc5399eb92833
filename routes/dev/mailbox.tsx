/**
 * `/dev/mailbox`: the emails and SMS the app sent while no SMTP server or SMS provider is
 * configured — so sign-in codes can be read on a laptop with no network. It exists only when
 * the development mailbox is a transport, which production refuses (lib/config.ts); otherwise
 * it is a 404. Linked from no page. Plain HTML: works without JavaScript; Preact escapes
 * everything shown.
 */
import { HttpError, page } from "../../lib/fresh/mod.ts";
import { define } from "../../lib/state.ts";

interface Listed {
  id: string;
  channel: "email" | "sms";
  recipient: string;
  subject: string | null;
  status: "pending" | "sending" | "sent" | "dead";
  attempts: number;
  last_error: string | null;
  created_at: Date | string;
}

interface Message extends Listed {
  /** From the mailbox; null when it is not there (not sent yet, or sent by a real provider). */
  body: string | null;
}

const LIMIT = 50;

export const handler = define.handlers({
  async GET(ctx) {
    const { mailbox } = ctx.state;
    if (!mailbox) throw new HttpError(404);
    const rows = await ctx.state.db.asService((q) =>
      q<Listed & Record<string, unknown>>(
        "select id, channel, recipient, subject, status, attempts, last_error, created_at " +
          "from private.outbox_recent($1)",
        [LIMIT],
      )
    );
    const messages: Message[] = rows.map((row) => ({
      ...row,
      body: mailbox.get(String(row.id))?.body ?? null,
    }));
    return page({ messages }, {
      headers: { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" },
    });
  },
});

function missingBody(message: Message): string {
  if (message.status === "pending" || message.status === "sending") return "Not sent yet.";
  if (message.status === "dead") return "Not sent: the worker gave up.";
  return "Sent by the configured provider; the text is not kept after sending.";
}

const when = (value: Date | string) =>
  `${new Date(value).toISOString().slice(0, 19).replace("T", " ")} UTC`;

export default define.page<typeof handler>(({ data }) => (
  <section class="space-y-4">
    <h1 class="text-2xl font-bold">Development mailbox</h1>
    <p class="text-stone-700">
      The emails and SMS Elymica sent, newest first, while no SMTP server or SMS provider is set up.
      This page exists only in development; it is kept in memory and empties when the server
      restarts.
    </p>
    <p>
      <a href="/dev/mailbox" class="underline underline-offset-4">Refresh</a>
    </p>
    {data.messages.length === 0
      ? <p class="text-stone-700">No messages yet.</p>
      : (
        <ol class="space-y-3">
          {data.messages.map((message) => (
            <li class="rounded-lg border border-stone-200 bg-white p-4 space-y-2">
              <p class="text-sm text-stone-600">
                #{message.id} · {message.channel === "sms" ? "SMS" : "Email"} ·{" "}
                <strong data-status={message.status}>{message.status}</strong> ·{" "}
                {when(message.created_at)}
                {message.attempts > 1 ? ` · ${message.attempts} attempts` : ""}
              </p>
              <p>
                <span class="font-semibold">To:</span> {message.recipient}
              </p>
              {message.subject && (
                <p>
                  <span class="font-semibold">
                    {message.channel === "sms" ? "Label:" : "Subject:"}
                  </span>{" "}
                  {message.subject}
                </p>
              )}
              {message.body === null
                ? <p class="italic text-stone-600">{missingBody(message)}</p>
                : (
                  <pre class="whitespace-pre-wrap break-words rounded bg-stone-100 p-3 font-sans">
                    {message.body}
                  </pre>
                )}
              {message.last_error && (
                <p class="text-sm text-red-800">Last error: {message.last_error}</p>
              )}
            </li>
          ))}
        </ol>
      )}
  </section>
));
