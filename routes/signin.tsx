import { define } from "../lib/state.ts";
import { Messages } from "../components/Messages.tsx";
import { page } from "../lib/fresh/mod.ts";
import { sameSitePath } from "../lib/http/redirects.ts";
import { deviceFingerprint, refusalStatus, signIn } from "../lib/auth/service.ts";
import { isSecureContext, sessionCookies, withCookies } from "../lib/auth/cookies.ts";

interface SignInData {
  email: string;
  next: string;
  error?: string;
  notice?: string;
}

const PORTAL = "/portal";
const NOTICES: Record<string, string> = {
  verified: "Your account is ready. Sign in with your new password.",
  changed: "Your password is changed, and you are signed out everywhere. Sign in again.",
};

/** Sign-in: a plain form that works without JavaScript (post, then a 303 to the portal). */
export const handler = define.handlers({
  GET(ctx) {
    const next = sameSitePath(ctx.url.searchParams.get("next"), ctx.url, PORTAL);
    if (ctx.state.session) return ctx.redirect(next);
    const notice = Object.entries(NOTICES)
      .find(([flag]) => ctx.url.searchParams.get(flag) === "1")?.[1];
    return page<SignInData>({ email: "", next, notice });
  },
  async POST(ctx) {
    const form = await ctx.req.formData();
    const email = String(form.get("email") ?? "").trim().slice(0, 254);
    const password = String(form.get("password") ?? "").slice(0, 1024);
    const next = sameSitePath(String(form.get("next") ?? ""), ctx.url, PORTAL);
    if (!email || !password) {
      return page<SignInData>({ email, next, error: "Enter your email address and password." }, {
        status: 400,
      });
    }
    const device = await deviceFingerprint(ctx.req);
    const outcome = await signIn(ctx.state.db, ctx.state.jwtSecret, { email, password, device });
    if (!outcome.ok) {
      const retry = outcome.retry_after
        ? { "Retry-After": String(outcome.retry_after) }
        : undefined;
      return page<SignInData>({ email, next, error: outcome.message }, {
        status: refusalStatus(outcome),
        headers: retry,
      });
    }
    return withCookies(ctx.redirect(next), sessionCookies(outcome, isSecureContext(ctx.url)));
  },
});

export default define.page<typeof handler>(({ data }) => (
  <section class="max-w-sm space-y-6">
    <h1 class="text-2xl font-bold">Sign in</h1>
    <Messages notice={data.notice} error={data.error} />
    <form method="post" action="/signin" class="space-y-4">
      <input type="hidden" name="next" value={data.next} />
      <label class="block space-y-1">
        <span class="font-semibold">Email address</span>
        <input
          type="email"
          name="email"
          value={data.email}
          required
          autocomplete="username"
          class="block w-full rounded border border-stone-400 px-3 py-2"
        />
      </label>
      <label class="block space-y-1">
        <span class="font-semibold">Password</span>
        <input
          type="password"
          name="password"
          required
          autocomplete="current-password"
          class="block w-full rounded border border-stone-400 px-3 py-2"
        />
      </label>
      <button type="submit" class="rounded bg-emerald-800 px-5 py-3 font-semibold text-white">
        Sign in
      </button>
    </form>
    <p class="text-sm text-stone-600">
      Invited by your school? Use the code you were sent to{" "}
      <a href="/verify" class="underline">
        set your password
      </a>.
    </p>
  </section>
));
