import { Messages } from "../../../../components/Messages.tsx";
import type { ModuleEditor } from "../../../../lib/teaching/content.ts";
import { Breadcrumbs } from "./Breadcrumbs.tsx";
import { buttonClass, Field, type FormState, quietButtonClass } from "./Fields.tsx";
import { MoveButtons } from "./MoveButtons.tsx";

export interface ModulePageData extends ModuleEditor {
  notice?: string;
  error?: string;
  rename?: FormState;
}

const KIND_LABEL = { text: "Text", pdf: "PDF", video: "Video" } as const;

export function minutes(seconds: number): string {
  const m = Math.round(seconds / 60);
  return m === 1 ? "1 minute" : `${m} minutes`;
}

/** One module: rename it, and its lessons in order — edit, move, delete, add. */
export function ModulePage({ data }: { data: ModulePageData }) {
  const { course, module } = data;
  const base = `/portal/teach/${course.id}`;
  const here = `${base}/modules/${module.id}`;
  return (
    <section class="space-y-8">
      <div class="space-y-2">
        <Breadcrumbs course={course} />
        <p class="text-sm font-semibold uppercase tracking-wide text-emerald-800">
          Module {module.position}
        </p>
        <h1 class="text-2xl font-bold">{module.title}</h1>
        <Messages notice={data.notice} error={data.error} />
      </div>

      <div class="space-y-3" id="lessons">
        <h2 class="text-xl font-bold">Lessons</h2>
        {module.lessons.length === 0
          ? <p class="text-stone-700">No lessons yet.</p>
          : (
            <ol class="space-y-2" data-testid="lessons">
              {module.lessons.map((l, i) => (
                <li
                  key={l.id}
                  class="flex flex-wrap items-center justify-between gap-2 rounded border border-stone-200 bg-white px-4 py-3"
                >
                  <span>
                    <a
                      href={`${base}/lessons/${l.id}`}
                      class="font-semibold text-emerald-800 underline"
                    >
                      {i + 1}. {l.title}
                    </a>{" "}
                    <span class="text-sm text-stone-600">
                      {KIND_LABEL[l.kind]} · {minutes(l.duration_seconds)}
                    </span>
                  </span>
                  <span class="inline-flex flex-wrap gap-2">
                    <MoveButtons
                      action={`${base}/lessons/${l.id}/move`}
                      place={i + 1}
                      count={module.lessons.length}
                      label={l.title}
                    />
                    <a href={`${base}/lessons/${l.id}/delete`} class={quietButtonClass}>Delete</a>
                  </span>
                </li>
              ))}
            </ol>
          )}
        <p class="flex flex-wrap gap-3">
          <a href={`${here}/lessons/new?kind=text`} class={buttonClass}>Add a text lesson</a>
          <a href={`${here}/lessons/new?kind=pdf`} class={buttonClass}>Add a PDF lesson</a>
          <a href={`${here}/lessons/new?kind=video`} class={buttonClass}>Add a video lesson</a>
        </p>
      </div>

      <form method="post" action={here} class="space-y-2 rounded border p-4">
        <Field
          name="title"
          label="Module title"
          form={data.rename ?? {}}
          value={module.title}
          required
          maxLength={200}
        />
        <button type="submit" class={buttonClass}>Rename</button>
      </form>

      <p>
        <a href={`${here}/delete`} class="text-red-800 underline">Delete this module</a>
      </p>
    </section>
  );
}
