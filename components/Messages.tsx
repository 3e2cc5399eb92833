/** What a form says back: a notice that something worked, or what went wrong. Nothing if empty. */
export function Messages({ notice, error }: { notice?: string; error?: string }) {
  return (
    <>
      {notice && <p role="status" class="rounded bg-emerald-50 px-3 py-2">{notice}</p>}
      {error && (
        <p role="alert" class="rounded border border-red-300 bg-red-50 px-3 py-2 text-red-800">
          {error}
        </p>
      )}
    </>
  );
}
