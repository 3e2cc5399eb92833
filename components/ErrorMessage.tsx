/** The body of the 404 and 500 pages: says what happened and offers the way home. */
export interface ErrorMessageProps {
  title: string;
  message: string;
  status: number;
}

export function ErrorMessage({ title, message, status }: ErrorMessageProps) {
  return (
    <section class="max-w-prose space-y-4">
      <p class="text-sm font-semibold text-emerald-800">Error {status}</p>
      <h1 class="text-2xl font-bold">{title}</h1>
      <p class="text-stone-700">{message}</p>
      <p>
        <a href="/" class="inline-block rounded bg-emerald-800 px-4 py-2 font-semibold text-white">
          Go to the home page
        </a>
      </p>
    </section>
  );
}
