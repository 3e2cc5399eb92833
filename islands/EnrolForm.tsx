import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

export interface EnrolFormProps {
  courseId: string;
  courseTitle: string;
  /** A parent's children to choose from; empty when the learner enrols themself. */
  learners: { id: string; name: string }[];
}

/**
 * The course page's enrol form. Without JavaScript it posts straight to the enrol handler,
 * which answers with the result. Once hydrated, "Enrol" first asks in a dialog whom it will
 * enrol in what, and only "Yes, enrol" sends the same form — one click plus a confirmation,
 * so a parent cannot enrol the wrong child by a slip.
 */
export default function EnrolForm({ courseId, courseTitle, learners }: EnrolFormProps) {
  const form = useRef<HTMLFormElement>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const chosen = useSignal(learners[0]?.id ?? "");
  const hydrated = useSignal(false);
  useEffect(() => {
    hydrated.value = true;
  }, []);

  function ask(event: Event) {
    event.preventDefault();
    dialog.current?.showModal();
  }

  const who = learners.find((l) => l.id === chosen.value)?.name;
  const button = "rounded px-4 py-2 font-semibold";
  return (
    <form
      ref={form}
      method="post"
      action={`/portal/courses/${courseId}/enrol`}
      onSubmit={ask}
      class="space-x-2"
      data-testid="enrol-form"
      data-hydrated={hydrated.value ? "true" : undefined}
    >
      {learners.length > 0 && (
        <select
          name="studentId"
          aria-label="Child"
          class="rounded border px-2 py-2"
          onChange={(e) => chosen.value = e.currentTarget.value}
        >
          {learners.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
        </select>
      )}
      <button type="submit" class={`${button} bg-emerald-800 text-white`}>Enrol</button>
      <dialog
        ref={dialog}
        aria-labelledby="enrol-confirm-title"
        class="max-w-sm rounded-lg border border-stone-300 p-6 shadow-lg"
      >
        <h2 id="enrol-confirm-title" class="text-lg font-bold">Confirm enrolment</h2>
        <p class="my-4">
          {who ? `Enrol ${who} in ${courseTitle}?` : `Enrol in ${courseTitle}?`}
        </p>
        <div class="flex gap-2">
          <button
            type="button"
            class={`${button} bg-emerald-800 text-white`}
            onClick={() => form.current?.submit()}
          >
            Yes, enrol
          </button>
          <button
            type="button"
            class={`${button} border border-stone-400`}
            onClick={() => dialog.current?.close()}
          >
            Cancel
          </button>
        </div>
      </dialog>
    </form>
  );
}
