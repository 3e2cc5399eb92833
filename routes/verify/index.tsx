import { isUuid } from "../../lib/ids.ts";
import OtpInput from "../../islands/OtpInput.tsx";
import { define } from "../../lib/state.ts";
import { Messages } from "../../components/Messages.tsx";
import { NewPasswordFields } from "../../components/NewPasswordFields.tsx";
import { page } from "../../lib/fresh/mod.ts";
import { refusalStatus } from "../../lib/auth/service.ts";
import { verifyInvitation } from "../../lib/auth/invitations.ts";

export interface VerifyData {
  personId: string | null;
  error?: string;
  notice?: string;
}

export const personFrom = (value: unknown) => isUuid(value) ? value.toLowerCase() : null;

/** The invitee's page: the code they were sent, and the password they choose. */
export const handler = define.handlers({
  GET(ctx) {
    const resent = ctx.url.searchParams.get("resent") === "1";
    return page<VerifyData>({
      personId: personFrom(ctx.url.searchParams.get("person")),
      notice: resent ? "A new code is on its way." : undefined,
    });
  },
  async POST(ctx) {
    const form = await ctx.req.formData();
    const personId = personFrom(form.get("person"));
    const code = String(form.get("code") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const again = (error: string, status: number) =>
      page<VerifyData>({ personId, error }, { status });
    if (!personId) {
      return again("This link is not complete. Open the link from your invitation.", 400);
    }
    if (!/^\d{6}$/.test(code)) return again("The code is the 6 digits we sent you.", 400);
    if (password !== String(form.get("confirm") ?? "")) {
      return again("The two passwords are not the same.", 400);
    }
    const outcome = await verifyInvitation(ctx.state.db, { personId, code, password });
    if (!outcome.ok) return again(outcome.message, refusalStatus(outcome));
    return ctx.redirect("/signin?verified=1");
  },
});

export default define.page<typeof handler>(({ data }) => (
  <section class="max-w-sm space-y-6">
    <h1 class="text-2xl font-bold">Set up your account</h1>
    <Messages notice={data.notice} error={data.error} />
    {data.personId
      ? (
        <>
          <form method="post" action="/verify" class="space-y-4">
            <input type="hidden" name="person" value={data.personId} />
            <fieldset class="space-y-1">
              <legend class="font-semibold">The 6-digit code we sent you</legend>
              <OtpInput name="code" length={6} nextFieldId="password" />
            </fieldset>
            <NewPasswordFields name="password" id="password" />
            <button type="submit" class="rounded bg-emerald-800 px-5 py-3 font-semibold text-white">
              Activate my account
            </button>
          </form>
          <form method="post" action="/verify/resend">
            <input type="hidden" name="person" value={data.personId} />
            <button type="submit" class="text-emerald-800 underline underline-offset-4">
              Send me a new code
            </button>
          </form>
        </>
      )
      : <p>Open the link in your invitation message to set up your account.</p>}
  </section>
));
