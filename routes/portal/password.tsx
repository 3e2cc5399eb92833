import { define } from "../../lib/state.ts";
import { Messages } from "../../components/Messages.tsx";
import { NewPasswordFields } from "../../components/NewPasswordFields.tsx";
import { page } from "../../lib/fresh/mod.ts";
import { changePassword, refusalStatus } from "../../lib/auth/service.ts";
import { clearedSessionCookies, isSecureContext, withCookies } from "../../lib/auth/cookies.ts";

interface PasswordData {
  error?: string;
}

/** Change password: afterwards every session ends, this one included. */
export const handler = define.handlers({
  GET() {
    return page<PasswordData>({});
  },
  async POST(ctx) {
    const form = await ctx.req.formData();
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== String(form.get("confirm") ?? "")) {
      return page<PasswordData>({ error: "The two new passwords are not the same." }, {
        status: 400,
      });
    }
    const outcome = await changePassword(ctx.state.db, ctx.state.session!, {
      currentPassword: String(form.get("currentPassword") ?? ""),
      newPassword,
    });
    if (!outcome.ok) {
      return page<PasswordData>({ error: outcome.message }, { status: refusalStatus(outcome) });
    }
    return withCookies(
      ctx.redirect("/signin?changed=1"),
      clearedSessionCookies(isSecureContext(ctx.url)),
    );
  },
});

const field = "block w-full rounded border border-stone-400 px-3 py-2";

export default define.page<typeof handler>(({ data }) => (
  <section class="max-w-sm space-y-6">
    <h1 class="text-2xl font-bold">Change your password</h1>
    <Messages error={data.error} />
    <form method="post" action="/portal/password" class="space-y-4">
      <label class="block space-y-1">
        <span class="font-semibold">Current password</span>
        <input
          type="password"
          name="currentPassword"
          required
          autocomplete="current-password"
          class={field}
        />
      </label>
      <NewPasswordFields name="newPassword" />
      <button type="submit" class="rounded bg-emerald-800 px-5 py-3 font-semibold text-white">
        Change password
      </button>
    </form>
  </section>
));
