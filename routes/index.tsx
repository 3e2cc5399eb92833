import LowDataToggle from "../islands/LowDataToggle.tsx";
import { define } from "../lib/state.ts";

const ROLES = [
  ["Students", "see courses, hand in assignments and read feedback"],
  ["Teachers", "set work, grade it and keep the class register"],
  ["Parents", "follow progress and pay tuition"],
  ["Admins", "run the school: classes, staff, terms and fees"],
] as const;

/** The landing page. No database: it must render even before a school is set up. */
export default define.page(({ state }) => (
  <div class="space-y-8">
    <section class="space-y-4">
      <h1 class="text-3xl font-bold leading-tight">School, in one place. Even on 3G.</h1>
      <p class="text-lg text-stone-700">
        Elymica is a school platform for African schools. Each school gets its own space for
        courses, assignments, grading and tuition payments by M-Pesa, Paystack or PesaPal.
      </p>
      <a
        href="/signin"
        class="inline-block rounded bg-emerald-800 px-5 py-3 font-semibold text-white"
      >
        Sign in
      </a>
    </section>

    <section class="space-y-3">
      <h2 class="text-xl font-bold">One place for everyone at school</h2>
      <ul class="grid gap-3 sm:grid-cols-2">
        {ROLES.map(([who, what]) => (
          <li class="rounded-lg border border-stone-200 bg-white p-4">
            <strong class="block">{who}</strong>
            <span class="text-stone-700">{what}</span>
          </li>
        ))}
      </ul>
    </section>

    <section class="space-y-3">
      <h2 class="text-xl font-bold">Built for slow networks and old phones</h2>
      <p class="text-stone-700">
        Pages are small and work without JavaScript. Low-data mode goes further: pages skip images
        and previews, so a bundle lasts longer.
      </p>
      <LowDataToggle initial={state.lowData} />
    </section>
  </div>
));
