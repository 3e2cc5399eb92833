import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";

export interface LowDataToggleProps {
  /** The reader's current choice, from the low_data cookie. */
  initial: boolean;
}

const ENDPOINT = "/preferences/low-data";

/**
 * A switch for low-data mode. Without JavaScript it is a plain form: the POST sets the
 * cookie and redirects back. Once hydrated, it saves with fetch and updates in place.
 * Every class for every state is in the server markup (twind only sees that), switched by
 * the data-on attribute.
 */
export default function LowDataToggle({ initial }: LowDataToggleProps) {
  const on = useSignal(initial);
  const busy = useSignal(false);
  const error = useSignal("");
  const hydrated = useSignal(false);
  useEffect(() => {
    hydrated.value = true;
  }, []);

  async function save(event: Event) {
    event.preventDefault();
    busy.value = true;
    error.value = "";
    try {
      const res = await fetch(ENDPOINT, {
        method: "POST",
        headers: { Accept: "application/json" },
        body: new URLSearchParams({ enabled: on.value ? "0" : "1" }),
      });
      if (!res.ok) throw new Error(`status ${res.status}`);
      const { lowData } = await res.json() as { lowData: boolean };
      on.value = lowData;
      document.documentElement.dataset.lowData = lowData ? "on" : "off";
    } catch {
      error.value = "Could not save. Check your connection and try again.";
    } finally {
      busy.value = false;
    }
  }

  const state = on.value ? "on" : "off";
  return (
    <form
      method="post"
      action={ENDPOINT}
      onSubmit={save}
      data-testid="low-data"
      data-on={String(on.value)}
      data-hydrated={hydrated.value ? "true" : undefined}
      class="group flex flex-wrap items-center gap-3 rounded-lg border border-stone-300 bg-white p-4"
    >
      <input type="hidden" name="enabled" value={on.value ? "0" : "1"} />
      <button
        type="submit"
        aria-pressed={on.value ? "true" : "false"}
        disabled={busy.value}
        data-testid="low-data-toggle"
        class="inline-flex items-center gap-2 rounded-full border-2 border-emerald-800 bg-white px-4 py-2 font-semibold text-emerald-900 group-data-[on=true]:bg-emerald-800 group-data-[on=true]:text-white disabled:opacity-60"
      >
        <span
          aria-hidden="true"
          class="inline-block h-3 w-3 rounded-full bg-stone-400 group-data-[on=true]:bg-lime-300"
        />
        Low-data mode
      </button>
      <span data-testid="low-data-state" role="status">Low-data mode: {state}</span>
      <span role="alert" class="w-full text-sm text-red-700" hidden={!error.value}>
        {error.value}
      </span>
    </form>
  );
}
