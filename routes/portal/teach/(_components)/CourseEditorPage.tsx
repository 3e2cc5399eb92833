import { Messages } from "../../../../components/Messages.tsx";
import type { CourseEditor } from "../../../../lib/teaching/courses.ts";
import { Breadcrumbs } from "./Breadcrumbs.tsx";
import { CourseFields } from "./CourseFields.tsx";
import {
  buttonClass,
  Field,
  type FormState,
  inputClass,
  Problems,
  quietButtonClass,
} from "./Fields.tsx";
import { MoveButtons } from "./MoveButtons.tsx";

export interface CourseEditorData extends CourseEditor {
  notice?: string;
  error?: string;
  /** The details form after a refusal. */
  details?: FormState;
  /** The "add a module" form after a refusal. */
  newModule?: FormState;
  /** The "add an instructor" form after a refusal. */
  newInstructor?: FormState;
}

const KIND_LABEL = { text: "Text", pdf: "PDF", video: "Video" } as const;

/** The course editor: details and prerequisites, publishing, and the modules with their lessons. */
export function CourseEditorPage({ data }: { data: CourseEditorData }) {
  const { course, prerequisites, modules } = data;
  const base = `/portal/teach/${course.id}`;
  const details = data.details ?? {};
  const published = course.status === "published";
  return (
    <section class="space-y-8">
      <div class="space-y-2">
        <Breadcrumbs />
        <p class="text-sm font-semibold uppercase tracking-wide text-emerald-800">
          {course.code} ·{" "}
          <span data-testid="course-status">{published ? "Published" : "Draft"}</span>
        </p>
        <h1 class="text-2xl font-bold">{course.title}</h1>
        <Messages notice={data.notice} error={data.error} />
      </div>

      <form method="post" action={`${base}/status`} class="space-y-2 rounded border p-4">
        <h2 class="text-xl font-bold">Publishing</h2>
        <p class="text-stone-700">
          {published
            ? "Students of your school see this course in the catalog and can enrol."
            : "Only you, the other instructors and the school's admins see this draft. Publish it once it has at least one lesson and an instructor."}
        </p>
        <input type="hidden" name="status" value={published ? "draft" : "published"} />
        <button type="submit" class={buttonClass}>{published ? "Unpublish" : "Publish"}</button>
        {published && (
          <a href={`/portal/courses/${course.id}`} class="ml-4 text-emerald-800 underline">
            See it in the catalog
          </a>
        )}
      </form>

      <Instructors data={data} base={base} />

      <form method="post" action={base} class="space-y-3 rounded border p-4">
        <h2 class="text-xl font-bold">Details</h2>
        <CourseFields form={details} course={course} />
        <fieldset class="space-y-2">
          <legend class="font-semibold">Prerequisites</legend>
          <p class="text-sm text-stone-600">
            Students must complete these courses before they can enrol. Untick one to remove it.
          </p>
          {prerequisites.length === 0 ? <p class="text-stone-700">None.</p> : (
            <ul class="space-y-1">
              {prerequisites.map((p) => (
                <li key={p.id}>
                  <label class="inline-flex items-center gap-2">
                    <input type="checkbox" name="keep_prerequisite" value={p.id} checked />
                    {p.code} · {p.title}
                  </label>
                </li>
              ))}
            </ul>
          )}
          <label class="block space-y-1">
            <span>Add a prerequisite by its course code</span>
            <input
              name="add_prerequisite"
              id="add_prerequisite"
              value={details.values?.add_prerequisite ?? ""}
              maxLength={32}
              class={inputClass}
            />
            <Problems name="add_prerequisite" form={details} />
          </label>
        </fieldset>
        <button type="submit" class={buttonClass}>Save details</button>
      </form>

      <div class="space-y-3" id="modules">
        <h2 class="text-xl font-bold">Modules and lessons</h2>
        {modules.length === 0
          ? <p class="text-stone-700">No modules yet: add the first one below.</p>
          : (
            <ol class="space-y-3" data-testid="modules">
              {modules.map((m, i) => (
                <li key={m.id} class="space-y-2 rounded border border-stone-200 bg-white px-4 py-3">
                  <div class="flex flex-wrap items-center justify-between gap-2">
                    <a
                      href={`${base}/modules/${m.id}`}
                      class="font-semibold text-emerald-800 underline"
                    >
                      {i + 1}. {m.title}
                    </a>
                    <span class="inline-flex flex-wrap gap-2">
                      <MoveButtons
                        action={`${base}/modules/${m.id}/move`}
                        place={i + 1}
                        count={modules.length}
                        label={m.title}
                      />
                      <a href={`${base}/modules/${m.id}/delete`} class={quietButtonClass}>Delete</a>
                    </span>
                  </div>
                  {m.lessons.length === 0
                    ? <p class="text-sm text-stone-600">No lessons yet.</p>
                    : (
                      <ol class="list-decimal space-y-1 pl-6 text-sm">
                        {m.lessons.map((l) => (
                          <li key={l.id}>
                            <a href={`${base}/lessons/${l.id}`} class="underline">{l.title}</a>{" "}
                            <span class="text-stone-600">({KIND_LABEL[l.kind]})</span>
                          </li>
                        ))}
                      </ol>
                    )}
                </li>
              ))}
            </ol>
          )}
        <form method="post" action={`${base}/modules`} class="space-y-2 rounded border p-4">
          <Field
            name="title"
            id="new_module_title"
            label="New module"
            form={data.newModule ?? {}}
            required
            maxLength={200}
          />
          <button type="submit" class={buttonClass}>Add module</button>
        </form>
      </div>
    </section>
  );
}

/** Who teaches the course; the school's admins (given candidates) add and remove teachers. */
function Instructors({ data, base }: { data: CourseEditorData; base: string }) {
  const { instructors, candidates } = data;
  const form = data.newInstructor ?? {};
  return (
    <div class="space-y-3 rounded border p-4" id="instructors">
      <h2 class="text-xl font-bold">Instructors</h2>
      {instructors.length === 0
        ? <p class="text-stone-700">Nobody teaches this course yet.</p>
        : (
          <ul class="space-y-1" data-testid="instructors">
            {instructors.map((teacher) => (
              <li key={teacher.id} class="flex flex-wrap items-center gap-2">
                <span>{teacher.name}</span>
                {candidates && (
                  <form method="post" action={`${base}/instructors/${teacher.id}/remove`}>
                    <button
                      type="submit"
                      class={quietButtonClass}
                      aria-label={`Remove ${teacher.name}`}
                    >
                      Remove
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
      {candidates
        ? (candidates.length === 0
          ? <p class="text-sm text-stone-600">Every teacher of the school already teaches it.</p>
          : (
            <form method="post" action={`${base}/instructors`} class="space-y-2">
              <label class="block space-y-1">
                <span class="font-semibold">Add a teacher</span>
                <select
                  name="teacher_id"
                  id="teacher_id"
                  class={inputClass}
                  aria-invalid={form.fieldErrors?.teacher_id ? true : undefined}
                  aria-describedby={form.fieldErrors?.teacher_id ? "teacher_id-problem" : undefined}
                >
                  {candidates.map((teacher) => (
                    <option
                      key={teacher.id}
                      value={teacher.id}
                      selected={form.values?.teacher_id === teacher.id}
                    >
                      {teacher.name}
                    </option>
                  ))}
                </select>
                <Problems name="teacher_id" form={form} />
              </label>
              <button type="submit" class={buttonClass}>Add instructor</button>
            </form>
          ))
        : <p class="text-sm text-stone-600">The school's admins choose who teaches a course.</p>}
    </div>
  );
}
