import { define } from "../lib/state.ts";

/** The document around every page: kept small, since every byte is paid for on 3G. */
export default define.page(function App({ Component, state }) {
  return (
    <html lang="en" data-low-data={state.lowData ? "on" : "off"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta
          name="description"
          content="Elymica: one school platform for students, teachers, parents and admins."
        />
        <title>Elymica</title>
      </head>
      <body class="min-h-screen flex flex-col bg-stone-50 text-stone-900 antialiased">
        <header class="bg-emerald-800 text-white">
          <nav class="max-w-3xl mx-auto px-4 py-3 flex items-center justify-between">
            <a href="/" class="text-xl font-bold tracking-tight">Elymica</a>
            {state.session
              ? <a href="/portal" class="underline underline-offset-4">My portal</a>
              : <a href="/signin" class="underline underline-offset-4">Sign in</a>}
          </nav>
        </header>
        <main class="flex-1 w-full max-w-3xl mx-auto px-4 py-8">
          <Component />
        </main>
        <footer class="border-t border-stone-200 text-sm text-stone-600">
          <p class="max-w-3xl mx-auto px-4 py-4">
            Elymica — school, in one place. Made for schools across Africa.
          </p>
        </footer>
      </body>
    </html>
  );
});
