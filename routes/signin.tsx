import { define } from "../lib/state.ts";

/** Placeholder until sign-in ships. No island here, so this page carries no script at all. */
export default define.page(() => (
  <section class="max-w-prose space-y-4">
    <h1 class="text-2xl font-bold">Sign in</h1>
    <p class="text-stone-700">Sign-in arrives with the next release.</p>
    <p>
      <a href="/" class="text-emerald-800 underline underline-offset-4">Back to the home page</a>
    </p>
  </section>
));
