import type { OutlineLesson } from "../../../../../lib/content.ts";

const KIND: Record<OutlineLesson["kind"], string> = { video: "Video", pdf: "PDF", text: "Reading" };

/**
 * One module of the course page as a `<details>` accordion (opens without JavaScript): its
 * lessons as links for those who may open them, else just how many there are.
 */
export function ModuleLessons(
  { courseId, module, lessons, open }: {
    courseId: string;
    module: { id: string; title: string; lessons: number };
    lessons: OutlineLesson[] | null;
    open: boolean;
  },
) {
  const done = lessons?.filter((l) => l.completed).length ?? 0;
  return (
    <details open={open} class="rounded border border-stone-200 bg-white">
      <summary class="cursor-pointer px-4 py-3 font-semibold">
        {module.title}{" "}
        <span class="text-sm font-normal text-stone-600">
          ({module.lessons === 1 ? "1 lesson" : `${module.lessons} lessons`}
          {lessons && done > 0 ? `, ${done} done` : ""})
        </span>
      </summary>
      {lessons
        ? (
          <ol class="space-y-1 border-t border-stone-200 px-4 py-3">
            {lessons.map((l) => (
              <li key={l.id} class="flex flex-wrap items-baseline justify-between gap-2">
                <a
                  href={`/portal/courses/${courseId}/lessons/${l.id}`}
                  class="text-emerald-800 underline"
                >
                  {l.title}
                </a>
                <span class="text-sm text-stone-600">
                  {KIND[l.kind]}
                  {l.completed && " · ✓ done"}
                </span>
              </li>
            ))}
          </ol>
        )
        : (
          <p class="border-t border-stone-200 px-4 py-3 text-sm text-stone-700">
            {module.lessons === 1 ? "1 lesson" : `${module.lessons} lessons`}
          </p>
        )}
    </details>
  );
}
