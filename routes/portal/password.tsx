import { define } from "../../lib/state.ts";
import { page } from "../../lib/fresh/mod.ts";
import { changePassword } from "../../lib/auth/invitations.ts";
import { refusalStatus } from "../../lib/auth/service.ts";
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
    {data.error && (
      <p role="alert" class="rounded border border-red-300 bg-red-50 px-3 py-2 text-red-800">
        {data.error}
      </p>
    )}
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
      <label class="block space-y-1">
        <span class="font-semibold">New password</span>
        <span class="block text-sm text-stone-600">
          At least 8 characters, with a capital letter and a digit.
        </span>
        <input
          type="password"
          name="newPassword"
          required
          autocomplete="new-password"
          class={field}
        />
      </label>
      <label class="block space-y-1">
        <span class="font-semibold">The new password again</span>
        <input type="password" name="confirm" required autocomplete="new-password" class={field} />
      </label>
      <button type="submit" class="rounded bg-emerald-800 px-5 py-3 font-semibold text-white">
        Change password
      </button>
    </form>
  </section>
));
