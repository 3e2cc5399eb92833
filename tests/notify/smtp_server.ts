/**
 * A real SMTP server in the test process (npm smtp-server), which parses what it receives with
 * mailparser: proof that the SMTP path works end to end, not against a mock.
 */
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** Resolves at the next message received. */
  next(): Promise<ReceivedMail>;
  /** SMTP code to answer RCPT TO with for these addresses (e.g. 550). */
  rejectRecipients: Map<string, number>;
  close(): Promise<void>;
}

export async function startSmtpServer(
  auth?: { user: string; pass: string },
): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const waiting: ((mail: ReceivedMail) => void)[] = [];
  const rejectRecipients = new Map<string, number>();
  const server = new SMTPServer({
    secure: false,
    disabledCommands: auth ? ["STARTTLS"] : ["AUTH", "STARTTLS"],
    authOptional: !auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(login, _session, done) {
      if (auth && login.username === auth.user && login.password === auth.pass) {
        done(null, { user: login.username });
      } else {
        done(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
      }
    },
    onRcptTo(address, _session, done) {
      const code = rejectRecipients.get(address.address);
      if (code) done(Object.assign(new Error("No such mailbox"), { responseCode: code }));
      else done();
    },
    onData(stream, session, done) {
      simpleParser(stream).then((parsed) => {
        const mail: ReceivedMail = {
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          from: parsed.from?.text ?? "",
          to: [parsed.to ?? []].flat().map((a) => a.text).join(", "),
          subject: parsed.subject ?? "",
          text: parsed.text ?? "",
          messageId: parsed.messageId ?? "",
        };
        received.push(mail);
        waiting.splice(0).forEach((resolve) => resolve(mail));
        done();
      }, done);
    },
  });
  // A client that drops mid-session must not crash the test process.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as { port: number };
  const credentials = auth
    ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@`
    : "";
  return {
    url: `smtp://${credentials}127.0.0.1:${port}?ignoreTLS=true`,
    received,
    rejectRecipients,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
